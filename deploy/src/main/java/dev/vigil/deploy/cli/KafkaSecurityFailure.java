package dev.vigil.deploy.cli;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Recognises, anywhere in an exception's causes, why Kafka could not be reached securely: the
 * broker refused the SASL login, the TLS handshake failed (an untrusted broker certificate, a
 * client certificate the broker refuses), a keystore or truststore could not be loaded, or the
 * principal lacks an ACL (a topic, group, transactional id or cluster operation denied). These are
 * operator errors with one fix each, so {@code vigil} prints one line saying which, and exits with
 * {@link VigilCommand#KAFKA_SECURITY_ERROR}, instead of a stack trace.
 */
final class KafkaSecurityFailure {
  private KafkaSecurityFailure() {}

  /** One line naming the failure and the settings to check, or empty for any other error. */
  static Optional<String> describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SaslAuthenticationException) {
        return Optional.of(
            "SASL login refused: "
                + t.getMessage()
                + " (check kafka.sasl.mechanism and kafka.sasl.jaas.config)");
      }
      if (t instanceof SslAuthenticationException) {
        return Optional.of(
            "TLS handshake failed: "
                + rootMessage(t)
                + " (check kafka.ssl.truststore.* holds the broker's CA, and kafka.ssl.keystore.*"
                + " when the broker requires a client certificate)");
      }
      if (t instanceof AuthenticationException) {
        return Optional.of("authentication failed: " + rootMessage(t));
      }
      if (t instanceof AuthorizationException) {
        return Optional.of(
            "not authorized: "
                + t.getMessage()
                + " (grant the principal the ACLs listed in runtime/README.md, section ACLs)");
      }
      if (t instanceof InvalidConfigurationException && isStoreLoading(t)) {
        return Optional.of(
            "cannot load a TLS keystore or truststore: "
                + t.getMessage()
                + (t.getCause() == null ? "" : " (" + rootMessage(t) + ")")
                + " (check kafka.ssl.truststore.* and kafka.ssl.keystore.*)");
      }
    }
    return Optional.empty();
  }

  /**
   * True when Kafka could not parse {@code sasl.jaas.config}. Its parser quotes the part it could
   * not read, which may be the password, so the message is replaced rather than shown.
   */
  static boolean isJaasParseError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException
          && t.getMessage() != null
          && t.getMessage().contains("JAAS config")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStoreLoading(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return message.contains("keystore") || message.contains("truststore");
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
