package dev.vigil.enrichment.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.enrichment.InputLimits;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A metric point attribute is refused exactly when its encoded size is over the limit, whether the
 * quick bound from its length decides or its encoded size is measured.
 */
class InputGuardTest {
  private static final long NOW_MS = 1_780_000_000_000L;

  @Test
  void anAsciiAttributeOfExactlyTheLimitPassesAndOneByteMoreIsRefused() {
    KeyValue attribute = Otlp.attribute("http.route", "/r".repeat(500));
    int size = attribute.getSerializedSize();

    assertThatCode(() -> guard(size).check(request(attribute), NOW_MS)).doesNotThrowAnyException();
    assertThatThrownBy(() -> guard(size - 1).check(request(attribute), NOW_MS))
        .isInstanceOf(InputRejectedException.class)
        .hasMessageContaining("metric point attribute 'http.route' of " + size + " bytes");
  }

  @Test
  void multiByteTextIsMeasuredInBytesNotChars() {
    // 400 chars of 3 UTF-8 bytes each: 1,200 bytes, which a limit in chars would let through.
    KeyValue attribute = Otlp.attribute("label", "€".repeat(400));
    int size = attribute.getSerializedSize();

    assertThatThrownBy(() -> guard(1_024).check(request(attribute), NOW_MS))
        .isInstanceOf(InputRejectedException.class)
        .hasMessageContaining("of " + size + " bytes");
    assertThatCode(() -> guard(size).check(request(attribute), NOW_MS)).doesNotThrowAnyException();
  }

  @Test
  void aNonStringValueIsMeasuredToo() {
    KeyValue attribute = Otlp.attribute("k".repeat(2_000), 7L);

    assertThatThrownBy(() -> guard(1_024).check(request(attribute), NOW_MS))
        .isInstanceOf(InputRejectedException.class);
  }

  private static InputGuard guard(int maxStringBytes) {
    return new InputGuard(new InputLimits(maxStringBytes, Duration.ZERO, Duration.ofMinutes(5)));
  }

  private static ExportMetricsServiceRequest request(KeyValue attribute) {
    return Otlp.metrics(
        "cart",
        Metric.newBuilder()
            .setName("queue.depth")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setTimeUnixNano(NOW_MS * 1_000_000L)
                            .setAsDouble(1)
                            .addAttributes(attribute)))
            .build());
  }
}
