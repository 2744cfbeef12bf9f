package dev.vigil.runtime.config;

/**
 * A configuration value that stops start-up. The message names the key, where the value came from
 * and what is allowed, so it can be shown to the operator as it is.
 */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** Creates an error about {@code key}. */
  public ConfigError(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The configuration key at fault. */
  public String key() {
    return key;
  }
}
