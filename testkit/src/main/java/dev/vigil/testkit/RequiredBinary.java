package dev.vigil.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a program a test needs (e.g. {@code kcat}, {@code prometheus}) on the PATH.
 *
 * <p>When {@code CI=true} a missing program fails the test: CI installs it, so its absence is a
 * broken pipeline, not a reason to skip. On a developer machine the test is skipped with a message
 * saying which Debian package to install.
 */
public final class RequiredBinary {
  private RequiredBinary() {}

  /**
   * The path of {@code name}.
   *
   * @param name program name
   * @param debianPackage package that provides it
   */
  public static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        name + " is not on the PATH: apt-get install " + debianPackage + " (.ci/run does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
