package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.ConfigReference;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil config}: the settings reference, or the effective settings. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Show every setting, or check and show the effective ones.",
      "",
      "Without options, prints the reference of every key (Markdown). With --effective, validates",
      "the settings from --config, VIGIL_* and --set like a start would, and prints each effective",
      "value with where it came from (secrets hidden); exit 2 on an invalid setting."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

  @Option(names = "--effective", description = "Validate and print the effective settings.")
  boolean effective;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (effective) {
      out.print(configOptions.load(Map.of()).describe());
    } else {
      out.print(ConfigReference.markdown(VigilApps.definition()));
    }
    out.flush();
    return 0;
  }
}
