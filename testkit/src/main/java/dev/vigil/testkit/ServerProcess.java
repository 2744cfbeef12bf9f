package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server from a Debian package, run as a child process on a free loopback port with its own
 * temporary directory, shared by the tests of one class. Subclasses say how to start it and where
 * it answers when ready.
 */
public abstract class ServerProcess implements BeforeAllCallback, AfterAllCallback {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final String binary;
  private final String debianPackage;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private Path dir;
  private int port;

  /**
   * @param binary the program, found on the PATH with {@link RequiredBinary}
   * @param debianPackage the package that installs it
   */
  protected ServerProcess(String binary, String debianPackage) {
    this.binary = binary;
    this.debianPackage = debianPackage;
  }

  /** The program's arguments, given its work directory and port. */
  protected abstract List<String> arguments(Path dir, int port) throws IOException;

  /** The path that answers 200 once the server serves, e.g. {@code /-/ready}. */
  protected abstract String readyPath();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the server and waits until it is ready. */
  public void start() throws IOException {
    dir = Files.createTempDirectory("vigil-" + binary);
    port = freePort();
    launch();
  }

  /**
   * Kills the server (SIGKILL, as a crash or an OOM kill would) but keeps its port and data, so
   * {@link #restart()} brings the same server back at the same address: an outage for its clients.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Starts the server killed by {@link #kill()} again, same port and data, and waits until ready.
   */
  public void restart() throws IOException {
    launch();
  }

  private void launch() throws IOException {
    Path program = RequiredBinary.require(binary, debianPackage);
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(arguments(dir, port));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log").toFile()))
            .start();
    awaitReady();
  }

  /** Stops the server and deletes its directory. */
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (dir != null) {
      deleteRecursively(dir);
      dir = null;
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** GETs {@code pathAndQuery}; fails the test on a status other than 200. */
  public String get(String pathAndQuery) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the server printed so far (for failure messages). */
  public String output() {
    try {
      return dir == null ? "" : Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read output: " + e + ")";
    }
  }

  private void awaitReady() {
    try {
      Awaitility.await(binary + " ready at " + readyPath())
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(this::isReady);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(binary + " not ready within " + READY_TIMEOUT + ":\n" + output(), e);
    }
  }

  private boolean isReady() throws InterruptedException {
    if (!process.isAlive()) {
      throw new AssertionError(binary + " exited with " + process.exitValue() + ":\n" + output());
    }
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + readyPath()))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }
}
