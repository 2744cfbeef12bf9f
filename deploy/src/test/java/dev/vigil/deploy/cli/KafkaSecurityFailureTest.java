package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class KafkaSecurityFailureTest {
  @Test
  void findsARefusedLoginBehindWrappers() {
    Exception e =
        new IllegalStateException(
            "cannot list topics",
            new ExecutionException(
                new SaslAuthenticationException(
                    "Authentication failed during authentication due to invalid credentials")));

    assertThat(KafkaSecurityFailure.describe(e))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("SASL login refused: Authentication failed")
                    .contains("kafka.sasl.jaas.config")
                    .doesNotContain("\n"));
  }

  @Test
  void namesTheRootCauseOfAFailedHandshake() {
    Exception e =
        new SslAuthenticationException(
            "SSL handshake failed",
            new SSLHandshakeException("PKIX path building failed: unable to find valid path"));

    assertThat(KafkaSecurityFailure.describe(e))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("TLS handshake failed: PKIX path building failed")
                    .contains("kafka.ssl.truststore"));
  }

  @Test
  void recognisesAStoreThatCannotBeLoaded() {
    Exception e =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new InvalidConfigurationException(
                "Failed to load PEM SSL keystore /etc/ca.pem",
                new java.io.IOException("Unable to read file /etc/ca.pem")));

    assertThat(KafkaSecurityFailure.describe(e))
        .hasValue(
            "cannot load a TLS keystore or truststore: Failed to load PEM SSL keystore"
                + " /etc/ca.pem (Unable to read file /etc/ca.pem) (check kafka.ssl.truststore.*"
                + " and kafka.ssl.keystore.*)");
  }

  @Test
  void namesADeniedAclWithTheResource() {
    Exception e =
        new StreamsException(
            "task [0_0] failed",
            new ExecutionException(new TopicAuthorizationException(Set.of("vigil.signals"))));

    assertThat(KafkaSecurityFailure.describe(e))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("not authorized: Not authorized to access topics: [vigil.signals]")
                    .contains("ACLs")
                    .doesNotContain("\n"));
  }

  @Test
  void leavesOtherErrorsAlone() {
    assertThat(KafkaSecurityFailure.describe(new IllegalStateException("topics missing")))
        .isEmpty();
    assertThat(
            KafkaSecurityFailure.isJaasParseError(
                new KafkaException(
                    "Failed to create new KafkaAdminClient",
                    new IllegalArgumentException(
                        "Invalid login module control flag 'pw' in JAAS config"))))
        .isTrue();
  }
}
