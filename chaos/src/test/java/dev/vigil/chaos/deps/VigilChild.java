package dev.vigil.chaos.deps;

import dev.vigil.deploy.VigilProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code vigil run APP...} in its own JVM with a chosen heap, on this test's classpath, so a test
 * can hold its memory to a bound and read its {@code /metrics} as a scraper would.
 */
final class VigilChild implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private int managementPort;

  private VigilChild(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code vigil run args...} with {@code -Xmx<heap>} and waits until it runs. */
  static VigilChild run(String heap, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vigil.deploy.Vigil"));
    return start(command, Map.of(), args);
  }

  /**
   * Starts {@code java -jar vigil.jar run args...}, the packaged jar as users run it (with deploy's
   * lean JVM options), with {@code env} added to its environment, and waits until it runs.
   */
  static VigilChild runJar(Map<String, String> env, List<String> args) throws IOException {
    if (!Files.exists(VigilProcess.JAR)) {
      throw new AssertionError(
          VigilProcess.JAR.toAbsolutePath() + " is missing: run through 'mvn verify'");
    }
    return start(VigilProcess.javaCommand(), env, args);
  }

  private static VigilChild start(List<String> java, Map<String, String> env, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>(java);
    command.add("run");
    command.addAll(args);
    command.addAll(List.of("--set", "management.port=0", "--set", "management.host=127.0.0.1"));
    Path out = Files.createTempFile("vigil-child-", ".out");
    Path err = Files.createTempFile("vigil-child-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    builder.environment().putAll(env);
    VigilChild child = new VigilChild(builder.start(), out, err);
    Awaitility.await("vigil run started")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!child.process.isAlive()) {
                throw new AssertionError("vigil run exited:\n" + child.stdout() + child.stderr());
              }
              return child.stdout().contains("Press Ctrl-C to stop.");
            });
    child.managementPort = Integer.parseInt(child.find("127\\.0\\.0\\.1:(\\d+)/metrics"));
    return child;
  }

  /** The first group of {@code regex} in what the process printed. */
  String find(String regex) {
    Matcher m = Pattern.compile(regex).matcher(stdout());
    if (!m.find()) {
      throw new AssertionError("no " + regex + " in:\n" + stdout());
    }
    return m.group(1);
  }

  /** Sum of every sample of {@code name} whose labels contain {@code labelPart}, from /metrics. */
  double metric(String name, String labelPart) throws Exception {
    return sum(metrics(), name, labelPart);
  }

  /** The /metrics page, as a scraper reads it. */
  String metrics() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Sum of every sample of {@code name} whose labels contain {@code labelPart}, in a page. */
  static double sum(String metrics, String name, String labelPart) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(labelPart))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
