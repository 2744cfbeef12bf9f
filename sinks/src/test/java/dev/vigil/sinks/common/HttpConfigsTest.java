package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HttpConfigsTest {
  private static final ConfigDef DEF = HttpConfigs.define(new ConfigDef());

  private static HttpSettings settings(String... keyValues) {
    Map<String, String> props = new HashMap<>();
    props.put(HttpConfigs.URL_CONFIG, "http://127.0.0.1:9090");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return HttpConfigs.settings(new AbstractConfig(DEF, props));
  }

  @Test
  void defaultsToNoAuthAndDefaultRetries() {
    HttpSettings settings = settings();
    assertThat(settings.auth()).isInstanceOf(Auth.None.class);
    assertThat(settings.retry().maxRetries()).isEqualTo(HttpConfigs.MAX_RETRIES_DEFAULT);
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.tls()).isEmpty();
  }

  @Test
  void readsBasicAuth() {
    assertThat(settings("connection.username", "u", "connection.password", "p").auth())
        .isEqualTo(new Auth.Basic("u", "p"));
  }

  @Test
  void rejectsTwoAuthMethods() {
    assertThatThrownBy(() -> settings("connection.username", "u", "connection.bearer.token", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.username")
        .hasMessageContaining("set only one of");
  }

  @Test
  void rejectsPasswordWithoutUser() {
    assertThatThrownBy(() -> settings("connection.password", "p"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.username");
  }

  @Test
  void rejectsNonHttpUrl() {
    assertThatThrownBy(() -> settings(HttpConfigs.URL_CONFIG, "ftp://host"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.url");
  }

  @Test
  void rejectsTrustForPlainHttp() {
    assertThatThrownBy(() -> settings("tls.ca.pem.location", "/etc/ca.pem"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.url")
        .hasMessageContaining("https://");
  }

  @Test
  void namesAnUnreadablePemFile() {
    assertThatThrownBy(
            () ->
                settings(
                    HttpConfigs.URL_CONFIG, "https://h", "tls.ca.pem.location", "/nonexistent.pem"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.ca.pem.location")
        .hasMessageContaining("cannot load");
  }

  @Test
  void rejectsBackoffCeilingBelowStart() {
    assertThatThrownBy(() -> settings("retry.backoff.ms", "500", "retry.backoff.max.ms", "100"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retry.backoff.max.ms");
  }

  @Test
  void masksSecretsInToString() {
    assertThat(new Auth.Basic("u", "p").toString()).doesNotContain("p]").contains("******");
    assertThat(new Auth.Bearer("tok").toString()).doesNotContain("tok");
  }
}
