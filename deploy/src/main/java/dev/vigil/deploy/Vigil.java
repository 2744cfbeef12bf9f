package dev.vigil.deploy;

import dev.vigil.deploy.cli.VigilCommand;

/** Entry point of the {@code vigil} command. */
public final class Vigil {
  private Vigil() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(VigilCommand.commandLine().execute(args));
  }
}
