package dev.vigil.sinks.embedded;

import dev.vigil.sinks.common.RecordBytes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.TargetState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect standalone worker in this JVM, with its REST API on a free loopback port.
 *
 * <p>Connectors are found with {@code plugin.discovery=service_load} (they are on the classpath and
 * registered in {@code META-INF/services}), which starts in about a second; keys and values pass
 * through Connect's {@code ByteArrayConverter}, as Vigil's sinks decode them themselves. Connect's
 * CLI calls {@code Exit.exit} when start-up fails: here that becomes an exception.
 */
public final class EmbeddedConnect implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedConnect.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Object EXIT_LOCK = new Object();

  private final Connect<StandaloneHerder> connect;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedConnect(Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  /**
   * Starts a worker.
   *
   * @param bootstrapServers the Kafka cluster the sinks read from
   * @param workDir directory for the worker's offset file (sinks keep their offsets in Kafka)
   * @param overrides worker properties that replace the defaults, e.g. {@code consumer.*}
   * @throws ConnectException if the worker does not start
   */
  public static EmbeddedConnect start(
      String bootstrapServers, Path workDir, Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("key.converter", RecordBytes.CONVERTER);
    props.put("value.converter", RecordBytes.CONVERTER);
    props.put("offset.storage.file.filename", workDir.resolve("connect.offsets").toString());
    props.put("listeners", "http://127.0.0.1:0");
    props.put("plugin.discovery", "service_load");
    props.putAll(overrides);
    Connect<StandaloneHerder> connect;
    synchronized (EXIT_LOCK) {
      Exit.setExitProcedure(
          (status, message) -> {
            throw new ConnectException(
                "Kafka Connect failed to start (exit " + status + "): " + message);
          });
      try {
        connect = new ConnectStandalone().startConnect(props);
      } finally {
        Exit.resetExitProcedure();
      }
    }
    // Without ready() the standalone herder's health check, and so /health, never answers.
    connect.herder().ready();
    LOGGER.info("Embedded Kafka Connect worker started at {}", connect.rest().serverUrl());
    return new EmbeddedConnect(connect);
  }

  /** The worker's REST API, e.g. {@code http://127.0.0.1:34567/}. */
  public URI restUrl() {
    return connect.rest().serverUrl();
  }

  /** Creates or replaces a connector and waits until the worker accepted it. */
  public void putConnector(String name, Map<String, String> config) {
    FutureCallback<Herder.Created<org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>>
        done = new FutureCallback<>();
    Map<String, String> withName = new HashMap<>(config);
    withName.put("name", name);
    connect.herder().putConnectorConfig(name, withName, TargetState.STARTED, true, done);
    await(done, "create connector " + name);
  }

  /** Deletes a connector (its tasks stop) and waits until the worker did. */
  public void deleteConnector(String name) {
    FutureCallback<Herder.Created<org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>>
        done = new FutureCallback<>();
    connect.herder().deleteConnectorConfig(name, done);
    await(done, "delete connector " + name);
  }

  /** Restarts one task (stop, then start from the committed offsets). */
  public void restartTask(String connector, int task) {
    FutureCallback<Void> done = new FutureCallback<>();
    connect.herder().restartTask(new ConnectorTaskId(connector, task), done);
    await(done, "restart task " + connector + "-" + task);
  }

  /** The connector's and its tasks' states, as {@code GET /connectors/{name}/status} shows. */
  public ConnectorStateInfo status(String connector) {
    return connect.herder().connectorStatus(connector);
  }

  /** Stops the worker and every connector. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      connect.stop();
      connect.awaitStop();
    }
  }

  private static <T> T await(FutureCallback<T> future, String what) {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ConnectException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ConnectException("cannot " + what + ": no answer within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while trying to " + what, e);
    }
  }
}
