package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.config.Secrets;
import java.util.Optional;
import java.util.function.UnaryOperator;
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

  /**
   * Exit status when Kafka cannot be reached securely: SASL login refused, TLS handshake failed, or
   * a keystore or truststore that cannot be loaded ({@link KafkaSecurityFailure}).
   */
  public static final int KAFKA_SECURITY_ERROR = 4;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line with Vigil's error handling: a configuration error is one clear line and exit
   * 2, a Kafka security failure one line and exit 4. Every message printed has the settings'
   * secrets masked ({@link CoreConfig#redact}).
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new VigilCommand());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          CoreConfig config = loadedConfig(cmd);
          UnaryOperator<String> redact =
              config == null ? Secrets::maskUrlPasswords : config::redact;
          if (e instanceof ConfigError configError) {
            cmd.getErr()
                .println("vigil: configuration error: " + redact.apply(configError.getMessage()));
            return CONFIG_ERROR;
          }
          if (KafkaSecurityFailure.isJaasParseError(e)) {
            cmd.getErr()
                .println(
                    "vigil: configuration error: kafka.sasl.jaas.config is not a valid JAAS"
                        + " configuration (value not shown)");
            return CONFIG_ERROR;
          }
          Optional<String> security = KafkaSecurityFailure.describe(e);
          if (security.isPresent()) {
            String where = config == null ? "" : " at " + config.bootstrapServers();
            cmd.getErr().println("vigil: Kafka" + where + ": " + redact.apply(security.get()));
            return KAFKA_SECURITY_ERROR;
          }
          cmd.getErr()
              .println("vigil " + cmd.getCommandName() + ": " + redact.apply(e.getMessage()));
          throw e;
        });
    return commandLine;
  }

  /**
   * The settings the failed command loaded through its {@link ConfigOptions}, if it got that far.
   */
  private static CoreConfig loadedConfig(CommandLine cmd) {
    for (CommandSpec mixin : cmd.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ConfigOptions options) {
        return options.loaded();
      }
    }
    return null;
  }
}
