package dev.vigil.sinks.testing;

import dev.vigil.sinks.embedded.EmbeddedConnect;
import dev.vigil.testkit.KafkaCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process Connect standalone worker against a testkit {@link KafkaCluster}, shared by the
 * tests of one class. Register it after the cluster:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final KafkaCluster KAFKA = new KafkaCluster();
 * @RegisterExtension @Order(2) static final ConnectWorker CONNECT = new ConnectWorker(KAFKA);
 * }</pre>
 *
 * <p>Offsets commit every second, so a task restart in a test redelivers little.
 */
public final class ConnectWorker implements BeforeAllCallback, AfterAllCallback {
  private final KafkaCluster kafka;
  private final Map<String, String> overrides;
  private EmbeddedConnect connect;
  private Path workDir;

  /** A worker with the default test settings. */
  public ConnectWorker(KafkaCluster kafka) {
    this(kafka, Map.of());
  }

  /** A worker with extra worker properties. */
  public ConnectWorker(KafkaCluster kafka, Map<String, String> overrides) {
    this.kafka = kafka;
    this.overrides = Map.copyOf(overrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Files.createTempDirectory("vigil-connect");
    Map<String, String> props = new HashMap<>();
    props.put("offset.flush.interval.ms", "1000");
    props.put("consumer.auto.offset.reset", "earliest");
    props.putAll(overrides);
    connect = EmbeddedConnect.start(kafka.bootstrapServers(), workDir, props);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (connect != null) {
      connect.close();
    }
  }

  /** The worker. */
  public EmbeddedConnect connect() {
    return connect;
  }

  /** Creates a connector and waits until it and all its tasks are RUNNING. */
  public void startConnector(String name, Map<String, String> config) {
    connect.putConnector(name, config);
    awaitRunning(name);
  }

  /** Waits until the connector and every task is RUNNING (and at least one task exists). */
  public void awaitRunning(String name) {
    Awaitility.await("connector " + name + " and its tasks RUNNING")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> isRunning(connect.status(name)));
  }

  /**
   * A task's plugin metric (Connect publishes them in JMX under {@code
   * kafka.connect:type=plugins,connector=...,task=...}).
   *
   * @throws AssertionError if the task publishes no such metric
   */
  public static double taskMetric(String connector, int task, String name) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (ObjectName bean :
          server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)) {
        if (connector.equals(bean.getKeyProperty("connector"))
            && String.valueOf(task).equals(bean.getKeyProperty("task"))) {
          return ((Number) server.getAttribute(bean, name)).doubleValue();
        }
      }
    } catch (JMException e) {
      throw new AssertionError("cannot read metric " + name + " of " + connector + "-" + task, e);
    }
    throw new AssertionError("no plugin metrics of task " + connector + "-" + task + " in JMX");
  }

  private static boolean isRunning(ConnectorStateInfo status) {
    return "RUNNING".equals(status.connector().state())
        && !status.tasks().isEmpty()
        && status.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
  }
}
