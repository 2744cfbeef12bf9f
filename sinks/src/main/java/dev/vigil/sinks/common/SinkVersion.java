package dev.vigil.sinks.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this plugin, filtered into {@code version.properties} by the build. */
public final class SinkVersion {
  private static final String VERSION = load();

  private SinkVersion() {}

  /** E.g. {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in =
        SinkVersion.class.getResourceAsStream("/dev/vigil/sinks/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
