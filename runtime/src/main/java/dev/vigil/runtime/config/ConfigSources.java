package dev.vigil.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Collects raw settings from a properties file, {@code VIGIL_*} environment variables and
 * command-line flags. Later sources win: a CLI flag overrides the environment, which overrides the
 * file, which overrides the defaults.
 *
 * <p>An environment variable maps to a key by dropping {@code VIGIL_}, lower-casing and turning
 * {@code _} into {@code .}: {@code VIGIL_MANAGEMENT_PORT} sets {@code management.port}.
 */
public final class ConfigSources {
  /** Prefix of environment variables that configure Vigil: {@value}. */
  public static final String ENV_PREFIX = "VIGIL_";

  /**
   * {@code VIGIL_*} variables that are not settings: {@code VIGIL_LOG_LEVEL} is read by the logging
   * configuration and {@code VIGIL_HOME} by scripts, before any setting is loaded.
   */
  public static final Set<String> NOT_SETTINGS = Set.of("VIGIL_LOG_LEVEL", "VIGIL_HOME");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  /** Starts with no settings. */
  public ConfigSources() {}

  /**
   * Adds every entry of a properties file.
   *
   * @throws ConfigError if the file cannot be read
   */
  public ConfigSources file(Path file) {
    Objects.requireNonNull(file, "file");
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigError("config", "cannot read config file " + file + ": " + e.getMessage());
    }
    for (String key : props.stringPropertyNames()) {
      put(key.trim(), props.getProperty(key).trim(), "file " + file);
    }
    return this;
  }

  /**
   * Adds every {@code VIGIL_*} variable of an environment (pass {@code System.getenv()}), except
   * {@link #NOT_SETTINGS}.
   */
  public ConfigSources env(Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX)
              && name.length() > ENV_PREFIX.length()
              && !NOT_SETTINGS.contains(name)) {
            put(keyOf(name), value, "environment variable " + name);
          }
        });
    return this;
  }

  /** Adds settings given on the command line (e.g. {@code --set management.port=9000}). */
  public ConfigSources cli(Map<String, String> flags) {
    flags.forEach((key, value) -> put(key, value, "command-line flag --set " + key));
    return this;
  }

  /** The environment variable that sets {@code key}. */
  public static String envNameOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static String keyOf(String envName) {
    return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The merged values, later sources winning. */
  public Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** Where the effective value of {@code key} came from, or "default". */
  public String originOf(String key) {
    return origins.getOrDefault(key, "default");
  }

  private void put(String key, String value, String origin) {
    values.put(key, value);
    origins.put(key, origin);
  }
}
