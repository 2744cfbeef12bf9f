package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.schemas.ServiceInfo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final Platform PLATFORM = PlatformGenerator.ecommerce();

  @Test
  void tracesPairClientAndServerSpansAcrossServices() {
    CapturingSink sink = run(List.of(), Duration.ofMinutes(2), new RecordingControlPlane());
    Map<String, SpanData> byId =
        sink.spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));

    List<SpanData> servers =
        sink.spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
    assertThat(servers).isNotEmpty();
    for (SpanData server : servers) {
      if (!server.getParentSpanContext().isValid()) {
        assertThat(service(server)).isEqualTo("frontend");
        continue;
      }
      SpanData client = byId.get(server.getParentSpanId());
      assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(client.getTraceId()).isEqualTo(server.getTraceId());
      assertThat(service(client)).isNotEqualTo(service(server));
      // The caller's view includes the callee's whole time.
      assertThat(client.getEndEpochNanos() - client.getStartEpochNanos())
          .isGreaterThanOrEqualTo(server.getEndEpochNanos() - server.getStartEpochNanos());
    }
    assertThat(sink.spans)
        .anySatisfy(
            s -> {
              assertThat(s.getAttributes().get(AttributeKey.stringKey("db.system")))
                  .isEqualTo("postgresql");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("db.name")))
                  .isEqualTo("orders");
            });
    assertThat(sink.spans).anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.PRODUCER));
    assertThat(sink.spans)
        .anySatisfy(
            s -> {
              assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
              assertThat(service(byId.get(s.getParentSpanId()))).isEqualTo("checkout");
            });
  }

  @Test
  void everyServiceReportsRedAndResourceMetricsEachMinuteAndCheckoutItsBusiness() {
    CapturingSink sink = run(List.of(), Duration.ofMinutes(3), new RecordingControlPlane());
    Map<String, Long> byName =
        sink.metrics.stream()
            .collect(Collectors.groupingBy(MetricData::getName, Collectors.counting()));

    // Minutes 0 and 1 are complete when minute 2 begins; minute 2 is reported at minute 3.
    assertThat(byName.get("process.cpu.utilization")).isEqualTo(2L * 60);
    assertThat(byName.get("http.server.request.duration")).isEqualTo(2L * 60);
    assertThat(byName).containsKeys("orders.placed", "revenue", "checkout.conversion");
    assertThat(sink.metrics)
        .filteredOn(m -> m.getName().equals("process.cpu.utilization"))
        .allSatisfy(
            m ->
                assertThat(m.getDoubleGaugeData().getPoints().iterator().next().getValue())
                    .isBetween(0.0, 0.5));
  }

  @Test
  void latencyFaultSlowsTheServiceAndItsCallersButNotOthers() {
    Fault fault = Fault.parse("latency:inventory@1m+3m*10");
    CapturingSink sink = run(List.of(fault), Duration.ofMinutes(5), new RecordingControlPlane());
    Instant from = T0.plus(Duration.ofMinutes(1));
    Instant to = T0.plus(Duration.ofMinutes(4));

    double inventoryBefore = medianServerMs(sink, "inventory", T0, from);
    double inventoryDuring = medianServerMs(sink, "inventory", from, to);
    // Its own work (median 6 ms) takes 10×: +54 ms; its calls (database, satellites) unchanged.
    assertThat(inventoryDuring - inventoryBefore).isBetween(35.0, 85.0);
    double checkoutBefore = medianServerMs(sink, "checkout", T0, from);
    double checkoutDuring = medianServerMs(sink, "checkout", from, to);
    assertThat(checkoutDuring - checkoutBefore).isGreaterThan(inventoryDuring * 0.5);
    double authBefore = medianServerMs(sink, "auth", T0, from);
    double authDuring = medianServerMs(sink, "auth", from, to);
    assertThat(authDuring / authBefore).isBetween(0.8, 1.25);
  }

  @Test
  void errorBurstFailsTheServiceAndPropagatesUpWithLogs() {
    Fault fault = Fault.parse("errors:fraud@1m+2m*0.5");
    CapturingSink sink = run(List.of(fault), Duration.ofMinutes(3), new RecordingControlPlane());
    Instant from = T0.plus(Duration.ofMinutes(1));

    assertThat(errorRatio(sink, "fraud", from)).isBetween(0.4, 0.6);
    // payment calls fraud on every request: 0.9 of fraud's failures fail payment.
    assertThat(errorRatio(sink, "payment", from)).isBetween(0.35, 0.55);
    assertThat(errorRatio(sink, "catalog", from)).isLessThan(0.01);
    assertThat(sink.logs)
        .anySatisfy(
            l -> {
              assertThat(l.getSeverity()).isEqualTo(Severity.ERROR);
              assertThat(l.getBodyValue().asString()).contains("call to fraud failed");
              assertThat(l.getSpanContext().isValid()).isTrue();
            });
  }

  @Test
  void badDeployPublishesTheDeployAndTheRollbackAndFails() {
    RecordingControlPlane control = new RecordingControlPlane();
    Fault fault = Fault.parse("bad-deploy:pricing@1m+2m");
    CapturingSink sink = run(List.of(fault), Duration.ofMinutes(4), control);

    assertThat(control.catalog).hasSize(60);
    assertThat(control.catalog)
        .filteredOn(e -> e.getService().equals("checkout"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getTier()).isEqualTo(1);
              assertThat(e.getBusinessCritical()).isTrue();
              assertThat(e.getDependencies()).contains("payment", "postgresql:orders");
            });
    assertThat(control.changes)
        .extracting(ChangeEvent::getService, ChangeEvent::getType, ChangeEvent::getAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pricing", ChangeType.DEPLOY, T0.plus(Duration.ofMinutes(1))),
            org.assertj.core.groups.Tuple.tuple(
                "pricing", ChangeType.ROLLBACK, T0.plus(Duration.ofMinutes(3))));
    assertThat(errorRatio(sink, "pricing", T0.plus(Duration.ofMinutes(1)))).isGreaterThan(0.1);
    assertThat(sink.spans)
        .filteredOn(s -> service(s).equals("pricing"))
        .extracting(s -> s.getResource().getAttribute(AttributeKey.stringKey("service.version")))
        .contains("v1.0.0", "v1.1.0");
  }

  @Test
  void sameSeedSameTelemetry() {
    CapturingSink a = run(List.of(), Duration.ofMinutes(1), new RecordingControlPlane());
    CapturingSink b = run(List.of(), Duration.ofMinutes(1), new RecordingControlPlane());
    assertThat(a.spans).hasSameSizeAs(b.spans);
    assertThat(a.spans.get(a.spans.size() - 1).getSpanId())
        .isEqualTo(b.spans.get(b.spans.size() - 1).getSpanId());
  }

  private static CapturingSink run(List<Fault> faults, Duration length, ControlPlane control) {
    CapturingSink sink = new CapturingSink();
    SimulatorSettings settings =
        new SimulatorSettings(
            PLATFORM,
            new Scenario("test", Optional.of(length), faults),
            T0,
            Duration.ZERO,
            0,
            300,
            0,
            3);
    new Simulator(settings, sink, control).run();
    return sink;
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(AttributeKey.stringKey("service.name"));
  }

  private static double medianServerMs(
      CapturingSink sink, String service, Instant from, Instant to) {
    List<Double> ms = new ArrayList<>();
    for (SpanData s : serverSpans(sink, service, from, to)) {
      ms.add((s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6);
    }
    assertThat(ms).as(service).hasSizeGreaterThan(10);
    ms.sort(Double::compare);
    return ms.get(ms.size() / 2);
  }

  private static double errorRatio(CapturingSink sink, String service, Instant from) {
    List<SpanData> spans = serverSpans(sink, service, from, from.plus(Duration.ofMinutes(2)));
    assertThat(spans).as(service).hasSizeGreaterThan(20);
    return spans.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).count()
        / (double) spans.size();
  }

  private static List<SpanData> serverSpans(
      CapturingSink sink, String service, Instant from, Instant to) {
    long a = from.toEpochMilli() * 1_000_000;
    long b = to.toEpochMilli() * 1_000_000;
    return sink.spans.stream()
        .filter(s -> s.getKind() == SpanKind.SERVER || s.getKind() == SpanKind.CONSUMER)
        .filter(s -> service(s).equals(service))
        .filter(s -> s.getStartEpochNanos() >= a && s.getStartEpochNanos() < b)
        .toList();
  }

  /** Keeps the catalog and changes. */
  static final class RecordingControlPlane implements ControlPlane {
    final List<ServiceInfo> catalog = new ArrayList<>();
    final List<ChangeEvent> changes = new ArrayList<>();

    @Override
    public void catalog(List<ServiceInfo> entries) {
      catalog.addAll(entries);
    }

    @Override
    public void change(ChangeEvent change) {
      changes.add(change);
    }

    @Override
    public void close() {}
  }
}
