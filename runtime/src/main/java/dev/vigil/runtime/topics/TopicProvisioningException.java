package dev.vigil.runtime.topics;

/** Topics could not be listed, described or created. */
public final class TopicProvisioningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TopicProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
