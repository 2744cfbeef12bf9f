package dev.vigil.enrichment;

import com.google.protobuf.Message;
import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.streams.DeadLetters;
import dev.vigil.runtime.streams.StreamsApp;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The enrichment topology in a {@link TopologyTestDriver}, with the app's real Streams settings
 * (DLQ handlers, explicit naming enforced) and a registry to read the counters from.
 */
final class Pipeline implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  final TopicCatalog topics = TopicCatalog.defaults();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> metrics;
  final TestInputTopic<byte[], byte[]> spans;
  final TestInputTopic<byte[], byte[]> logs;
  final TestInputTopic<String, ServiceInfo> catalog;
  final TestOutputTopic<SeriesKey, SignalWindow> signals;
  final TestOutputTopic<EdgeKey, EdgeWindow> edges;
  final TestOutputTopic<byte[], byte[]> dlq;

  Pipeline(EnrichmentSettings settings, Path stateDir) {
    CoreConfig config =
        new CoreConfig(new ConfigSources().cli(Map.of("state.dir", stateDir.toString())));
    DeadLetters deadLetters =
        new DeadLetters(
            EnrichmentTopology.APP, topics.dlq(EnrichmentTopology.APP).name(), registry);
    Properties props = StreamsApp.properties(EnrichmentTopology.APP, config, deadLetters);
    driver =
        new TopologyTestDriver(
            EnrichmentTopology.build(settings, topics, new EnrichmentMetrics(registry)), props, T0);
    ByteArraySerializer bytes = new ByteArraySerializer();
    metrics = driver.createInputTopic(topics.otlpMetrics.name(), bytes, bytes);
    spans = driver.createInputTopic(topics.otlpSpans.name(), bytes, bytes);
    logs = driver.createInputTopic(topics.otlpLogs.name(), bytes, bytes);
    catalog =
        driver.createInputTopic(
            topics.catalog.name(), new StringSerializer(), VigilSerdes.SERVICE_INFO.serializer());
    signals =
        driver.createOutputTopic(
            topics.signals.name(),
            VigilSerdes.SERIES_KEY.deserializer(),
            VigilSerdes.SIGNAL_WINDOW.deserializer());
    edges =
        driver.createOutputTopic(
            topics.edges.name(),
            VigilSerdes.EDGE_KEY.deserializer(),
            VigilSerdes.EDGE_WINDOW.deserializer());
    dlq =
        driver.createOutputTopic(
            topics.dlq(EnrichmentTopology.APP).name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  static Instant at(int minute, int second) {
    return T0.plusSeconds(minute * 60L + second);
  }

  void send(TestInputTopic<byte[], byte[]> topic, Message request, Instant recordTime) {
    topic.pipeInput(new TestRecord<>(null, request.toByteArray(), recordTime));
  }

  /** Every signal emitted so far, as key/value pairs. */
  List<KeyValue<SeriesKey, SignalWindow>> signalRecords() {
    return signals.readKeyValuesToList();
  }

  /** The signals of one service and signal name, in emission order. */
  static List<SignalWindow> of(
      List<KeyValue<SeriesKey, SignalWindow>> records, String service, String signal) {
    return records.stream()
        .filter(kv -> kv.key.getService().equals(service) && kv.key.getSignal().equals(signal))
        .map(kv -> kv.value)
        .toList();
  }

  double count(String name, String source) {
    Counter counter = registry.find(name).tag("source", source).counter();
    return counter == null ? 0 : counter.count();
  }

  double count(String name) {
    Counter counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
