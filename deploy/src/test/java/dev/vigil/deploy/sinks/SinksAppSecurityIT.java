package dev.vigil.deploy.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.app.VigilService;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded Connect worker against a broker that only SASL_SSL reaches: the {@code kafka.*}
 * settings must get to the sink task's consumer, the dead-letter producer and the admin client that
 * creates the DLQ topic, not just to the worker.
 */
@Timeout(120)
class SinksAppSecurityIT {
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.secured();

  @Test
  void copiesKafkaSettingsToEveryClientOfTheWorker() {
    CoreConfig config = config(Map.of("kafka.security.protocol", "SASL_SSL"));

    assertThat(SinksApp.workerOverrides(config))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("consumer.security.protocol", "SASL_SSL")
        .containsEntry("producer.security.protocol", "SASL_SSL")
        .containsEntry("admin.security.protocol", "SASL_SSL");
  }

  @Test
  void sinkTaskReadsAndDeadLettersOverSaslSsl() throws Exception {
    KAFKA.createTopics(TOPICS.signals, TOPICS.forecasts);
    // Not a SignalWindow: the Prometheus sink reports it to vigil.dlq.sinks, whose topic the
    // worker's admin client creates. Nothing is sent to the (absent) remote-write receiver.
    KAFKA.produceRaw(
        TOPICS.signals.name(),
        "k".getBytes(StandardCharsets.UTF_8),
        "not avro".getBytes(StandardCharsets.UTF_8));
    Map<String, String> settings = new HashMap<>();
    KAFKA
        .saslSslClientConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword())
        .forEach((key, value) -> settings.put("kafka." + key, String.valueOf(value)));
    settings.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.saslSslBootstrapServers());
    settings.remove("kafka.bootstrap.servers");
    settings.put(SinksApp.PROMETHEUS_URL_CONFIG, "http://127.0.0.1:9/api/v1/write");

    try (VigilService sinks = new SinksApp.Definition().create(config(settings), TOPICS, null)) {
      sinks.start();

      List<ConsumerRecord<byte[], byte[]>> dead =
          KAFKA.consumeRaw(TOPICS.dlq("sinks").name(), 1, Duration.ofSeconds(60));
      assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
      assertThat(dead.get(0).headers().lastHeader("__connect.errors.exception.message"))
          .isNotNull();
    }
  }

  private static CoreConfig config(Map<String, String> settings) {
    ConfigDef definition = CoreConfig.definition();
    new SinksApp.Definition().define(definition);
    Map<String, String> all = new HashMap<>(settings);
    try {
      all.put(CoreConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sinks-secure").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    all.put(CoreConfig.TOPIC_REPLICATION_FACTOR_CONFIG, "1");
    all.putIfAbsent(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    return new CoreConfig(definition, new ConfigSources().cli(all));
  }
}
