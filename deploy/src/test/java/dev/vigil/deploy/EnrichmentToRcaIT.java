package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.enrichment.EnrichmentApp;
import dev.vigil.rca.RcaApp;
import dev.vigil.runtime.app.AppDefinition;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Direction;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.Severity;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans through the real enrichment stream into the rca stream on one broker: the service graph the
 * rca stream ranks on is the one enrichment derives from traces, including a database seen only
 * through its clients' {@code db.system} spans. The anomaly stream is not built yet, so the
 * anomalies it would report are written directly.
 */
@Timeout(180)
class EnrichmentToRcaIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir static Path stateDir;

  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final List<AppDefinition> APPS =
      List.of(new EnrichmentApp.Definition(), new RcaApp.Definition());
  private static TopicCatalog topics;
  private static final List<VigilService> RUNNING = new ArrayList<>();
  private static int ids;

  @BeforeAll
  static void startApps() throws Exception {
    ConfigDef definition = CoreConfig.definition();
    APPS.forEach(app -> app.define(definition));
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(
                    Map.of(
                        "bootstrap.servers",
                        KAFKA.bootstrapServers(),
                        "state.dir",
                        stateDir.toString(),
                        // One partition: every window closes on the one watermark of its task.
                        "topic.partitions",
                        "1",
                        "enrichment.window.grace.ms",
                        "10000")));
    topics = config.topicCatalog();
    List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
    APPS.forEach(app -> specs.addAll(app.ownTopics(topics)));
    assertThat(new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(specs).ok())
        .isTrue();
    MeterRegistry registry = Metrics.newRegistry();
    for (AppDefinition app : APPS) {
      VigilService service = app.create(config, topics, registry);
      RUNNING.add(service);
      service.start();
    }
  }

  @AfterAll
  static void stopApps() {
    RUNNING.forEach(VigilService::close);
  }

  @Test
  void slowDatabaseSeenOnlyInItsClientsSpansIsTheRootCause() throws Exception {
    for (int m = 0; m < 26; m++) {
      boolean slow = m >= 12 && m < 17;
      for (int s = 5; s < 60; s += 10) {
        trace(T0.plusSeconds(m * 60L + s), slow ? 60 : 5, slow ? 80 : 20, slow ? 100 : 40);
      }
      // The anomaly stream reports a minute once it has closed: after the next minute's data.
      if (m >= 13 && m <= 18) {
        anomaly("checkout", m - 1, 0.9);
        anomaly("frontend", m - 1, 0.7);
      }
    }

    List<ConsumerRecord<String, Incident>> incidents =
        KAFKA.consumeUntil(
            topics.incidents,
            records ->
                records.stream().anyMatch(r -> r.value().getState() == IncidentState.RESOLVED),
            Duration.ofSeconds(120));
    Incident resolved =
        incidents.stream()
            .map(ConsumerRecord::value)
            .filter(i -> i.getState() == IncidentState.RESOLVED)
            .findFirst()
            .orElseThrow();
    assertThat(resolved.getServices()).containsExactly("checkout", "frontend");
    assertThat(resolved.getRootCauses().get(0).getService()).isEqualTo("postgresql:orders");
    assertThat(resolved.getRootCauses().get(0).getReasons())
        .anySatisfy(r -> assertThat(r).startsWith("caller's p99 to it x"))
        .contains("database called by anomalous checkout");
    assertThat(resolved.getEntryPoints()).containsExactly("frontend");
  }

  /** frontend (server, client) -> checkout (server, client to postgresql orders). */
  private static void trace(Instant start, double dbMs, double checkoutMs, double frontendMs)
      throws Exception {
    String trace = hex(32);
    String root = hex(16);
    String call = hex(16);
    String server = hex(16);
    String db = hex(16);
    Span frontendServer =
        Otlp.span(trace, root, null, SpanKind.SPAN_KIND_SERVER, start, frontendMs).build();
    Span frontendClient =
        Otlp.span(trace, call, root, SpanKind.SPAN_KIND_CLIENT, start.plusMillis(1), frontendMs - 5)
            .build();
    Span checkoutServer =
        Otlp.span(trace, server, call, SpanKind.SPAN_KIND_SERVER, start.plusMillis(2), checkoutMs)
            .build();
    Span query =
        Otlp.span(trace, db, server, SpanKind.SPAN_KIND_CLIENT, start.plusMillis(3), dbMs)
            .addAttributes(Otlp.attribute("db.system", "postgresql"))
            .addAttributes(Otlp.attribute("db.name", "orders"))
            .build();
    KAFKA.produceRaw(
        topics.otlpSpans.name(),
        "frontend".getBytes(StandardCharsets.UTF_8),
        Otlp.traces("frontend", frontendServer, frontendClient).toByteArray());
    KAFKA.produceRaw(
        topics.otlpSpans.name(),
        "checkout".getBytes(StandardCharsets.UTF_8),
        Otlp.traces("checkout", checkoutServer, query).toByteArray());
  }

  private static void anomaly(String service, int minute, double score) throws Exception {
    AnomalyPhase phase =
        minute == 12 ? AnomalyPhase.START : minute == 17 ? AnomalyPhase.END : AnomalyPhase.UPDATE;
    AnomalyEvent event =
        AnomalyEvent.newBuilder()
            .setId(service + "-latency-12")
            .setService(service)
            .setSeries(new SeriesKey(service, "span.duration", List.of()))
            .setPhase(phase)
            .setAt(T0.plusSeconds((minute + 1) * 60L))
            .setStartedAt(T0.plusSeconds(12 * 60L))
            .setObserved(phase == AnomalyPhase.END ? 20 : 80)
            .setExpected(20)
            .setLower(15)
            .setUpper(30)
            .setScore(phase == AnomalyPhase.END ? 0.1 : score)
            .setSeverity(Severity.WARNING)
            .setDirection(Direction.UP)
            .setDetector("it")
            .setSignalType(SignalType.LATENCY)
            .build();
    KAFKA.produce(topics.anomalies, Map.entry(service, event));
  }

  private static String hex(int digits) {
    ids++;
    String n = HexFormat.of().toHexDigits((long) ids);
    return "1".repeat(digits - n.length()) + n;
  }
}
