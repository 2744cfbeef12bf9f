package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.deploy.sinks.SinksApp;
import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.PromQlServer;
import dev.vigil.testkit.PrometheusServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus remote-write receiver is killed (SIGKILL) while the sink has windows to write and
 * comes back on the same port with its data: the sink (the Connect worker {@code vigil up} runs)
 * spends its retries, hands the batch back to Connect, and once Prometheus is back every window is
 * there, each sample once.
 */
@Timeout(180)
class PrometheusOutageIT {
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();
  private static final int SERVICES = 20;
  private static final int WINDOWS = 30;
  private static final Duration OUTAGE = Duration.ofSeconds(15);

  @RegisterExtension
  @Order(1)
  static final KafkaCluster KAFKA = new KafkaCluster();

  @RegisterExtension
  @Order(2)
  static final PrometheusServer PROMETHEUS = new PrometheusServer();

  @Test
  void sinkRetriesThroughAnOutageAndCatchesUpWithoutLoss() throws Exception {
    KAFKA.createTopics(TOPICS.signals, TOPICS.forecasts);
    Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(40));
    Map<String, String> settings = new HashMap<>();
    settings.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    settings.put(CoreConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sinks").toString());
    settings.put(CoreConfig.TOPIC_REPLICATION_FACTOR_CONFIG, "1");
    settings.put(SinksApp.PROMETHEUS_URL_CONFIG, PROMETHEUS.remoteWriteUrl().toString());
    ConfigDef definition = CoreConfig.definition();
    new SinksApp.Definition().define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(settings));

    try (VigilService sinks = new SinksApp.Definition().create(config, TOPICS, null)) {
      sinks.start();
      produceWindows(first, 0, WINDOWS / 2);
      await("first half in Prometheus")
          .atMost(Duration.ofSeconds(60))
          .until(() -> samples(PROMETHEUS, first) == SERVICES * WINDOWS / 2);

      PROMETHEUS.kill();
      long down = System.nanoTime();
      produceWindows(first, WINDOWS / 2, WINDOWS);
      // The outage lasts 15 s: longer than the task's retries of one batch (5, backoff up to
      // 3.2 s: ~6 s), so the RetriableException path and Connect's redelivery are exercised.
      await("Prometheus down for 15 s")
          .pollDelay(OUTAGE)
          .atMost(OUTAGE.plusSeconds(1))
          .until(() -> true);
      PROMETHEUS.restart();
      long up = System.nanoTime();

      await("every window in Prometheus after the restart")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> samples(PROMETHEUS, first) == SERVICES * WINDOWS);
      long caughtUp = System.nanoTime();

      double written = connectMetric("plugins", "samples-written");
      double duplicates = connectMetric("plugins", "samples-duplicate-skipped");
      System.out.printf(
          "FIGURES prometheus-outage: windows=%d samples-in-prometheus=%d samples-written=%.0f "
              + "duplicate-skipped=%.0f outage=%.1fs catch-up-after-restart=%.1fs%n",
          SERVICES * WINDOWS,
          samples(PROMETHEUS, first),
          written,
          duplicates,
          (up - down) / 1e9,
          (caughtUp - up) / 1e9);
      assertThat(samples(PROMETHEUS, first)).isEqualTo(SERVICES * WINDOWS);
      // Connect hands the refused batch back after retry.backoff.max.ms (10 s), not at its next
      // offset commit (up to 60 s later): catch-up is bounded by one backoff plus a retry round.
      assertThat(Duration.ofNanos(caughtUp - up)).isLessThan(Duration.ofSeconds(25));
      assertThat(sinks.healthCheck().ready().getAsBoolean()).isTrue();
    }
  }

  /** Windows {@code from..to-1} (one a minute from {@code first}) of every service, in order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void produceWindows(Instant first, int from, int to) throws Exception {
    List<Map.Entry<SeriesKey, SignalWindow>> records = new ArrayList<>();
    for (int w = from; w < to; w++) {
      Instant end = first.plus(Duration.ofMinutes(w + 1L));
      for (int s = 0; s < SERVICES; s++) {
        records.add(
            Map.entry(
                SeriesKey.newBuilder().setService("chaos-" + s).setSignal("span.calls").build(),
                SignalWindow.newBuilder()
                    .setWindowStart(end.minus(Duration.ofMinutes(1)))
                    .setWindowEnd(end)
                    .setType(SignalType.TRAFFIC)
                    .setCount(60 + w)
                    .setSum(60 + w)
                    .setRate((60 + w) / 60.0)
                    .build()));
      }
    }
    KAFKA.produce(TOPICS.signals, records.toArray(Map.Entry[]::new));
  }

  /** Samples of the chaos services' rate series Prometheus holds. */
  private static long samples(PromQlServer prometheus, Instant first) {
    return prometheus
        .query(
            "count_over_time(span_calls:rate1m{service=~\"chaos-.*\"}[45m])",
            first.plus(Duration.ofMinutes(WINDOWS + 1L)).toEpochMilli())
        .stream()
        .mapToLong(p -> (long) p.value())
        .sum();
  }

  /** A Connect metric of the one prometheus task, read over JMX (0 before it exists). */
  private static double connectMetric(String type, String attribute) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName bean :
        server.queryNames(new ObjectName("kafka.connect:type=" + type + ",*"), null)) {
      if ("prometheus".equals(bean.getKeyProperty("connector"))) {
        return ((Number) server.getAttribute(bean, attribute)).doubleValue();
      }
    }
    return 0;
  }
}
