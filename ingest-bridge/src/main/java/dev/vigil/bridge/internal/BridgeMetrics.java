package dev.vigil.bridge.internal;

import dev.vigil.runtime.otlp.OtlpSignal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The bridge's self-metrics. Items are data points, spans or log records.
 *
 * <ul>
 *   <li>{@code vigil_bridge_items_received_total{signal,protocol}}
 *   <li>{@code vigil_bridge_items_accepted_total{signal}}: acknowledged by Kafka
 *   <li>{@code vigil_bridge_items_rejected_total{signal,reason}}
 *   <li>{@code vigil_bridge_requests_rejected_total{protocol,reason}}: requests refused whole
 *   <li>{@code vigil_bridge_kafka_produce_seconds}: from send to acknowledgement of a request
 *   <li>{@code vigil_bridge_inflight_bytes}: accepted but not yet acknowledged
 *   <li>{@code vigil_bridge_grpc_calls_in_progress}: OTLP/gRPC calls started and not yet answered
 * </ul>
 */
public final class BridgeMetrics {
  private final MeterRegistry registry;
  private final Timer produce;

  /** Registers the metrics; {@code budget} backs the in-flight gauge. */
  public BridgeMetrics(MeterRegistry registry, InflightBudget budget) {
    this.registry = registry;
    this.produce =
        Timer.builder("vigil.bridge.kafka.produce")
            .description("Time from handing a request's records to Kafka to their acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    Gauge.builder("vigil.bridge.inflight.bytes", budget, InflightBudget::used)
        .description("Bytes of accepted requests not yet acknowledged by Kafka")
        .baseUnit("bytes")
        .register(registry);
  }

  /** Registers the gauge of OTLP/gRPC calls in progress, read from {@code inProgress}. */
  void grpcCallsInProgress(IntSupplier inProgress) {
    Gauge.builder("vigil.bridge.grpc.calls.in.progress", inProgress, IntSupplier::getAsInt)
        .description(
            "OTLP/gRPC calls started and not yet answered (bounded by bridge.grpc.max.calls)")
        // Micrometer holds a gauge's state weakly; nothing else holds this supplier.
        .strongReference(true)
        .register(registry);
  }

  void received(OtlpSignal signal, Protocol protocol, int items) {
    Counter.builder("vigil.bridge.items.received")
        .description("Data points, spans and log records received")
        .tag("signal", label(signal))
        .tag("protocol", protocol.label())
        .register(registry)
        .increment(items);
  }

  void accepted(OtlpSignal signal, int items) {
    Counter.builder("vigil.bridge.items.accepted")
        .description("Data points, spans and log records acknowledged by Kafka")
        .tag("signal", label(signal))
        .register(registry)
        .increment(items);
  }

  void rejected(OtlpSignal signal, RejectReason reason, int items) {
    if (items > 0) {
      Counter.builder("vigil.bridge.items.rejected")
          .description("Data points, spans and log records refused, by reason")
          .tag("signal", label(signal))
          .tag("reason", reason.label())
          .register(registry)
          .increment(items);
    }
  }

  /** Counts a request refused whole (malformed, unauthenticated, throttled...). */
  public void requestRejected(Protocol protocol, RejectReason reason) {
    Counter.builder("vigil.bridge.requests.rejected")
        .description("Requests refused whole, by protocol and reason")
        .tag("protocol", protocol.label())
        .tag("reason", reason.label())
        .register(registry)
        .increment();
  }

  Timer produceTimer() {
    return produce;
  }

  private static String label(OtlpSignal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  /** The two OTLP transports. */
  public enum Protocol {
    GRPC,
    HTTP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
