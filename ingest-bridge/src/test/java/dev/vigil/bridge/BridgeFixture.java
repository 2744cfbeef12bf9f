package dev.vigil.bridge;

import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.management.Metrics;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** A bridge on free ports against a test broker, with its own metrics registry. */
final class BridgeFixture implements AutoCloseable {
  final BridgeApp bridge;
  final PrometheusMeterRegistry registry = Metrics.newRegistry();
  final TopicCatalog topics = TopicCatalog.create("", 1, (short) 1);

  BridgeFixture(String bootstrapServers, Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>();
    all.put("bootstrap.servers", bootstrapServers);
    all.put("bridge.host", "127.0.0.1");
    all.put("bridge.grpc.port", "0");
    all.put("bridge.http.port", "0");
    all.putAll(settings);
    ConfigDef definition = CoreConfig.definition();
    BridgeConfig.define(definition);
    CoreConfig config = new CoreConfig(definition, new ConfigSources().cli(all));
    bridge = new BridgeApp(new BridgeConfig(config), topics, registry);
    bridge.start();
  }

  String grpcEndpoint(String scheme) {
    return scheme + "://127.0.0.1:" + bridge.grpcPort();
  }

  String httpEndpoint(String scheme) {
    return scheme + "://127.0.0.1:" + bridge.httpPort();
  }

  /** The value of one sample in the Prometheus scrape, 0 if absent. */
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
