package dev.vigil.chaos.deps;

import dev.vigil.bridge.BridgeApp;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** The real ingest bridge on free loopback ports against a test broker, with its own metrics. */
final class BridgeUnderTest implements AutoCloseable {
  final BridgeApp bridge;
  final PrometheusMeterRegistry registry = Metrics.newRegistry();
  final TopicCatalog topics = TopicCatalog.create("", 1, (short) 1);

  BridgeUnderTest(String bootstrapServers, Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>();
    all.put(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    all.put(BridgeConfig.HOST_CONFIG, "127.0.0.1");
    all.put(BridgeConfig.GRPC_PORT_CONFIG, "0");
    all.put(BridgeConfig.HTTP_PORT_CONFIG, "0");
    all.putAll(settings);
    ConfigDef definition = CoreConfig.definition();
    BridgeConfig.define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(all));
    bridge = new BridgeApp(new BridgeConfig(config), topics, registry);
    bridge.start();
  }

  String httpBase() {
    return "http://127.0.0.1:" + bridge.httpPort();
  }

  String grpcBase() {
    return "http://127.0.0.1:" + bridge.grpcPort();
  }

  /** The value of one sample in the bridge's Prometheus scrape, 0 if absent. */
  double metric(String nameAndLabels) {
    return registry
        .scrape()
        .lines()
        .filter(line -> line.startsWith(nameAndLabels + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0.0);
  }

  @Override
  public void close() {
    bridge.close();
  }
}
