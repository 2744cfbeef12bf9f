package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class MalformedRecordsTest {
  private static final SinkRecord RECORD = new SinkRecord("t", 0, null, null, null, new byte[0], 7);
  private final SinkTaskMetrics metrics =
      new SinkTaskMetrics((org.apache.kafka.common.metrics.PluginMetrics) null);
  private final List<SinkRecord> reported = new ArrayList<>();
  private final ErrantRecordReporter reporter =
      (record, error) -> {
        reported.add(record);
        return CompletableFuture.completedFuture(null);
      };

  private MalformedRecords handler(MalformedRecordBehavior behavior, ErrantRecordReporter r) {
    return new MalformedRecords(
        "behavior.on.malformed.records",
        behavior,
        r,
        metrics.counter("malformed-records", "d"),
        Clock.systemUTC());
  }

  @Test
  void reportsToTheDlqAndCounts() {
    MalformedRecords handler = handler(MalformedRecordBehavior.REPORT, reporter);
    handler.handle(RECORD, new MalformedRecordException("bad"));
    handler.handle(RECORD, new MalformedRecordException("bad"));

    assertThat(reported).hasSize(2);
    assertThat(handler.count()).isEqualTo(2);
  }

  @Test
  void warnCountsWithoutReporting() {
    MalformedRecords handler = handler(MalformedRecordBehavior.WARN, null);
    handler.handle(RECORD, new MalformedRecordException("bad"));

    assertThat(handler.count()).isEqualTo(1);
  }

  @Test
  void failStopsWithTheRecordAndReason() {
    assertThatThrownBy(
            () ->
                handler(MalformedRecordBehavior.FAIL, null)
                    .handle(RECORD, new MalformedRecordException("bad bytes")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("t-0@7")
        .hasMessageContaining("bad bytes");
  }

  @Test
  void reportWithoutDlqIsAConfigError() {
    assertThatThrownBy(() -> handler(MalformedRecordBehavior.REPORT, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("behavior.on.malformed.records")
        .hasMessageContaining("errors.deadletterqueue.topic.name");
  }

  @Test
  void parsesBehaviourCaseInsensitively() {
    assertThat(MalformedRecordBehavior.parse(" Report ")).isEqualTo(MalformedRecordBehavior.REPORT);
    assertThatThrownBy(() -> MalformedRecordBehavior.VALIDATOR.ensureValid("k", "drop"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("[fail, warn, report]");
  }
}
