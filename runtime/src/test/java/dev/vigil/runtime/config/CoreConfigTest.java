package dev.vigil.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreConfigTest {
  @TempDir Path dir;

  @Test
  void usesDefaultsWhenNothingIsSet() {
    CoreConfig config = new CoreConfig(new ConfigSources());

    assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(config.managementPort()).isEqualTo(9464);
    assertThat(config.topicPartitions()).isEqualTo(6);
    assertThat(config.originOf("management.port")).isEqualTo("default");
  }

  @Test
  void cliOverridesEnvironmentWhichOverridesFile() throws IOException {
    Path file = write("management.port=9001\ntopic.partitions=3\nstate.dir=/from/file\n");
    ConfigSources sources =
        new ConfigSources()
            .file(file)
            .env(
                Map.of(
                    "VIGIL_MANAGEMENT_PORT",
                    "9002",
                    "VIGIL_TOPIC_PARTITIONS",
                    "4",
                    "HOME",
                    "/root"))
            .cli(Map.of("management.port", "9003"));

    CoreConfig config = new CoreConfig(sources);

    assertThat(config.managementPort()).isEqualTo(9003);
    assertThat(config.topicPartitions()).isEqualTo(4);
    assertThat(config.stateDir()).isEqualTo(Path.of("/from/file"));
    assertThat(config.originOf("topic.partitions"))
        .isEqualTo("environment variable VIGIL_TOPIC_PARTITIONS");
  }

  @Test
  void rejectsUnknownKeyNamingItAndSuggestingTheClosest() throws IOException {
    ConfigSources sources = new ConfigSources().file(write("managment.port=9000\n"));

    assertThatThrownBy(() -> new CoreConfig(sources))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("unknown config key 'managment.port'")
        .hasMessageContaining("Did you mean 'management.port'?")
        .extracting(e -> ((ConfigError) e).key())
        .isEqualTo("managment.port");
  }

  @Test
  void rejectsWrongTypeNamingKeyAndOrigin() {
    ConfigSources sources = new ConfigSources().env(Map.of("VIGIL_MANAGEMENT_PORT", "http"));

    assertThatThrownBy(() -> new CoreConfig(sources))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("invalid value 'http' for management.port")
        .hasMessageContaining("environment variable VIGIL_MANAGEMENT_PORT")
        .hasMessageContaining("Not a number of type INT");
  }

  @Test
  void rejectsOutOfRangeValueSayingWhatIsAllowed() {
    ConfigSources sources = new ConfigSources().cli(Map.of("topic.partitions", "0"));

    assertThatThrownBy(() -> new CoreConfig(sources))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("invalid value '0' for topic.partitions")
        .hasMessageContaining("Value must be at least 1")
        .hasMessageContaining("Allowed: [1,...,10000]");
  }

  @Test
  void rejectsIllegalTopicPrefix() {
    ConfigSources sources = new ConfigSources().cli(Map.of("topic.prefix", "prod/"));

    assertThatThrownBy(() -> new CoreConfig(sources))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("topic.prefix")
        .hasMessageContaining("letters, digits");
  }

  @Test
  void buildsTheTopicCatalogWithPrefixAndOtlpTopicNames() {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources()
                .cli(
                    Map.of(
                        "topic.prefix",
                        "prod.",
                        "topic.otlp.spans",
                        "otel-traces",
                        "topic.partitions",
                        "12")));

    assertThat(config.topicCatalog().otlpSpans.name()).isEqualTo("prod.otel-traces");
    assertThat(config.topicCatalog().otlpMetrics.name()).isEqualTo("prod.otlp_metrics");
    assertThat(config.topicCatalog().signals.partitions()).isEqualTo(12);
  }

  @Test
  void rejectsEmptyOtlpTopicName() {
    ConfigSources sources = new ConfigSources().cli(Map.of("topic.otlp.logs", ""));

    assertThatThrownBy(() -> new CoreConfig(sources))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("topic.otlp.logs")
        .hasMessageContaining("not be empty");
  }

  @Test
  void passesKafkaKeysThroughWithoutPrefix() {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources().env(Map.of("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")));

    assertThat(config.kafkaClientConfig())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void describesEffectiveSettingsWithSecretsMasked() {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources()
                .cli(
                    Map.of(
                        "kafka.sasl.jaas.config",
                        "user=a password=s3cret",
                        "management.port",
                        "1")));

    assertThat(config.describe())
        .contains(
            "kafka.sasl.jaas.config=[hidden] (command-line flag --set kafka.sasl.jaas.config)")
        .contains("management.port=1 (command-line flag --set management.port)")
        .contains("bootstrap.servers=127.0.0.1:9092 (default)")
        .doesNotContain("s3cret");
  }

  @Test
  void masksUrlPasswordsInTheEffectiveSettings() {
    ConfigDef definition = CoreConfig.definition();
    definition.define("sinks.search.url", ConfigDef.Type.STRING, "", Importance.LOW, "url");
    CoreConfig config =
        new CoreConfig(
            definition,
            new ConfigSources()
                .cli(Map.of("sinks.search.url", "https://vigil:pa55word@search.internal:9200")));

    assertThat(config.describe())
        .contains("sinks.search.url=https://vigil:[hidden]@search.internal:9200")
        .doesNotContain("pa55word");
  }

  @Test
  void invalidValueOfASecretKeyIsNamedButNotEchoed() {
    ConfigDef definition = CoreConfig.definition();
    definition.define(
        "test.token.bytes", ConfigDef.Type.INT, 1, Importance.LOW, "a secret-named number");

    assertThatThrownBy(
            () ->
                new CoreConfig(
                    definition,
                    new ConfigSources().cli(Map.of("test.token.bytes", "tok-9c1e77-secret"))))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("test.token.bytes")
        .hasMessageContaining("[hidden]")
        .hasMessageNotContaining("tok-9c1e77-secret");
  }

  @Test
  void redactsSecretsThatALibraryEchoes() {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources()
                .env(
                    Map.of(
                        "VIGIL_KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\"vigil\" password=\"pw-4b1d9\";",
                        "VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD",
                        "ts-77aa01")));

    assertThat(
            config.redact(
                "Invalid login module control flag 'pw-4b1d9' in JAAS config; truststore"
                    + " ts-77aa01; at http://u:urlpass1@h/"))
        .isEqualTo(
            "Invalid login module control flag '[hidden]' in JAAS config; truststore"
                + " [hidden]; at http://u:[hidden]@h/");
  }

  @Test
  void reportsUnreadableFile() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> new ConfigSources().file(missing))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("nope.properties");
  }

  @Test
  void mapsKeysToEnvironmentNames() {
    assertThat(ConfigSources.envNameOf("management.port")).isEqualTo("VIGIL_MANAGEMENT_PORT");
    assertThat(ConfigSources.keyOf("VIGIL_STREAMS_COMMIT_INTERVAL_MS"))
        .isEqualTo("streams.commit.interval.ms");
  }

  @Test
  void theLogLevelVariableIsNoSetting() {
    CoreConfig config =
        new CoreConfig(
            new ConfigSources()
                .env(Map.of("VIGIL_LOG_LEVEL", "DEBUG", "VIGIL_MANAGEMENT_PORT", "9100")));
    assertThat(config.managementPort()).isEqualTo(9100);
  }

  private Path write(String content) throws IOException {
    Path file = dir.resolve("vigil.properties");
    Files.writeString(file, content);
    return file;
  }
}
