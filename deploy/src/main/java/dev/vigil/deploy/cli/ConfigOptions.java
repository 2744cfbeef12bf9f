package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags every command shares: a properties file and {@code --set} overrides. */
final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with Vigil settings (see README: Configuration).")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override one setting, e.g. --set management.port=9000. Wins over VIGIL_* environment"
              + " variables, which win over the file.")
  Map<String, String> overrides = new LinkedHashMap<>();

  private CoreConfig loaded;

  /**
   * Loads and validates the settings; {@code implied} are command flags such as --bootstrap-server.
   */
  CoreConfig load(Map<String, String> implied) {
    ConfigSources sources = new ConfigSources();
    if (file != null) {
      sources.file(file);
    }
    sources.env(System.getenv());
    Map<String, String> cli = new LinkedHashMap<>(implied);
    cli.putAll(overrides);
    loaded = new CoreConfig(VigilApps.definition(), sources.cli(cli));
    return loaded;
  }

  /** The settings {@link #load} returned, or null before (or when they were invalid). */
  CoreConfig loaded() {
    return loaded;
  }
}
