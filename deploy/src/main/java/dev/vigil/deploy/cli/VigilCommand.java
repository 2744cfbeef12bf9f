package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code vigil} command. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Vigil: an AI-driven observability pipeline on Kafka Streams.",
    subcommands = {
      UpCommand.class,
      RunCommand.class,
      TopicsCommand.class,
      TailCommand.class,
      ConfigCommand.class,
      CatalogCommand.class,
      ReplayCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Settings: --config FILE, VIGIL_* environment variables, --set KEY=VALUE (later wins)."
    })
public final class VigilCommand implements Runnable {
  /** Exit status of a configuration error. */
  public static final int CONFIG_ERROR = 2;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with Vigil's error handling: config errors are one clear line, exit 2. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new VigilCommand());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigError configError) {
            cmd.getErr().println("vigil: configuration error: " + configError.getMessage());
            return CONFIG_ERROR;
          }
          cmd.getErr().println("vigil " + cmd.getCommandName() + ": " + e.getMessage());
          throw e;
        });
    return commandLine;
  }
}
