package dev.vigil.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code vigil.jar} run as a separate process, the way users run it. Its output goes
 * to files (not pipes), so nothing it prints while shutting down is lost. Public for other modules'
 * tests (chaos), which find the jar through the {@code vigil.jar} system property.
 */
public final class VigilProcess implements AutoCloseable {
  /** The packaged jar: {@code target/vigil.jar}, or the {@code vigil.jar} system property. */
  public static final Path JAR = Path.of(System.getProperty("vigil.jar", "target/vigil.jar"));

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private VigilProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code java -jar vigil.jar args...}. */
  public static VigilProcess start(String... args) throws IOException {
    return start(Map.of(), List.of(), args);
  }

  /**
   * Starts {@code java [jvmOptions] -jar vigil.jar args...} with {@code env} added to an
   * environment cleared of the test JVM's {@code VIGIL_*} variables.
   */
  public static VigilProcess start(Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new AssertionError(
          JAR.toAbsolutePath() + " is missing: run through 'mvn verify' (package builds it)");
    }
    List<String> command = javaCommand();
    command.addAll(1, jvmOptions);
    command.addAll(List.of(args));
    Path out = Files.createTempFile("vigil-", ".out");
    Path err = Files.createTempFile("vigil-", ".err");
    out.toFile().deleteOnExit();
    err.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    builder.environment().putAll(env);
    return new VigilProcess(builder.start(), out, err);
  }

  /** {@code java} with the test JVM's lean options and {@code -jar} the absolute jar path. */
  public static List<String> javaCommand() {
    return new ArrayList<>(
        List.of(
            javaBinary(),
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            JAR.toAbsolutePath().toString()));
  }

  /** Runs a command to completion. */
  public static VigilProcess run(Duration timeout, String... args) throws Exception {
    return run(timeout, Map.of(), args);
  }

  /** Runs a command to completion with {@code env} added to its environment. */
  public static VigilProcess run(Duration timeout, Map<String, String> env, String... args)
      throws Exception {
    VigilProcess vigil = start(env, List.of(), args);
    if (!vigil.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      vigil.close();
      throw new AssertionError(
          "vigil "
              + String.join(" ", args)
              + " did not finish within "
              + timeout
              + "; stderr:\n"
              + vigil.stderr());
    }
    return vigil;
  }

  /** Sends SIGTERM, as Kubernetes and Ctrl-C do, and waits for the exit status. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("vigil did not stop within " + timeout + "; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /**
   * Sends SIGKILL, as the OOM killer or a lost node would: no shutdown hook runs, nothing is
   * flushed or committed. Waits until the process is gone.
   */
  public void kill(Duration timeout) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("vigil did not die within " + timeout + " of SIGKILL");
    }
  }

  /** Operating-system process id. */
  public long pid() {
    return process.pid();
  }

  public int exitValue() {
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
