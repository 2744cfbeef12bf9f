package dev.vigil.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VigilCommand.class.getPackage().getImplementationVersion();
    return new String[] {"vigil " + (version == null ? "dev" : version)};
  }
}
