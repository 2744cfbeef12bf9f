package dev.vigil.enrichment;

import com.google.protobuf.Message;
import dev.vigil.enrichment.internal.CatalogJoiner;
import dev.vigil.enrichment.internal.EdgePairingProcessor;
import dev.vigil.enrichment.internal.EdgeWindowProcessor;
import dev.vigil.enrichment.internal.EnrichmentMetrics;
import dev.vigil.enrichment.internal.InputCheckProcessor;
import dev.vigil.enrichment.internal.InputGuard;
import dev.vigil.enrichment.internal.LogCountProcessor;
import dev.vigil.enrichment.internal.MetricWindowProcessor;
import dev.vigil.enrichment.internal.OtlpDeserializer;
import dev.vigil.enrichment.internal.OtlpRequest;
import dev.vigil.enrichment.internal.Parsing;
import dev.vigil.enrichment.internal.ServiceBatch;
import dev.vigil.enrichment.internal.ServicePartitioner;
import dev.vigil.enrichment.internal.ServiceSplitProcessor;
import dev.vigil.enrichment.internal.SpanRedProcessor;
import dev.vigil.enrichment.internal.Splitters;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.schemas.topics.TopicCatalog;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The enrichment topology: settings in, {@link Topology} out; no I/O of its own.
 *
 * <pre>
 * (every raw record is checked after decoding: strings the app keeps, event times; see InputGuard)
 * otlp_metrics -decode- split by resource -repartition by service- metric windows -+
 * otlp_spans   -decode-+- split by resource -repartition by service- RED windows ---+- catalog - vigil.signals.1m
 *                      |                                                          |   (partitioned by service)
 * otlp_logs    -decode-|- split by resource -repartition by service- log windows --+
 *                      +- split by trace -repartition by trace- pairing -repartition by edge- edge windows - vigil.edges.1m
 * </pre>
 *
 * <p>"repartition by service" moves only the batches that are not already in the task of their
 * service's windows; the others (every record the bridge wrote, when the raw and repartition topics
 * have the same partition count) go to the windows still decoded (see {@link #byService}).
 *
 * <p>Every source, processor, repartition topic and store is named (the app runs with {@code
 * ensure.explicit.internal.resource.naming=true}).
 */
public final class EnrichmentTopology {
  /** The app name: application.id {@code vigil-enrichment}, DLQ {@code vigil.dlq.enrichment}. */
  public static final String APP = "enrichment";

  /** The materialized catalog (GlobalKTable). */
  public static final String CATALOG_STORE = "enrichment-catalog";

  /** Repartition topics (suffixes of {@code <application.id>-...-repartition}). */
  public static final String METRICS_BY_SERVICE = "enrichment-metrics-by-service";

  public static final String SPANS_BY_SERVICE = "enrichment-spans-by-service";
  public static final String LOGS_BY_SERVICE = "enrichment-logs-by-service";
  public static final String SPANS_BY_TRACE = "enrichment-spans-by-trace";
  public static final String CALLS_BY_EDGE = "enrichment-calls-by-edge";

  private EnrichmentTopology() {}

  /**
   * Builds the topology.
   *
   * @param settings validated settings
   * @param topics the topic catalog of the environment
   * @param metrics where the enrichment counters go
   */
  public static Topology build(
      EnrichmentSettings settings, TopicCatalog topics, EnrichmentMetrics metrics) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(metrics, "metrics");
    StreamsBuilder builder = new StreamsBuilder();
    InputGuard guard = new InputGuard(settings.inputLimits());

    GlobalKTable<String, ServiceInfo> catalog =
        builder.globalTable(
            topics.catalog.name(),
            Consumed.with(Serdes.String(), VigilSerdes.SERVICE_INFO).withName("catalog-source"),
            Materialized.<String, ServiceInfo, KeyValueStore<Bytes, byte[]>>as(CATALOG_STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(VigilSerdes.SERVICE_INFO));

    KStream<byte[], OtlpRequest<ExportMetricsServiceRequest>> metricRequests =
        builder.stream(
                topics.otlpMetrics.name(),
                Consumed.with(Serdes.ByteArray(), OtlpRequest.serde(OtlpDeserializer.metrics()))
                    .withName("otlp-metrics-source"))
            .processValues(
                () -> new InputCheckProcessor<>(guard, metrics, EnrichmentMetrics.Source.METRICS),
                Named.as("check-metrics"));
    KStream<byte[], OtlpRequest<ExportTraceServiceRequest>> traceRequests =
        builder.stream(
                topics.otlpSpans.name(),
                Consumed.with(Serdes.ByteArray(), OtlpRequest.serde(OtlpDeserializer.traces()))
                    .withName("otlp-spans-source"))
            .processValues(
                () -> new InputCheckProcessor<>(guard, metrics, EnrichmentMetrics.Source.SPANS),
                Named.as("check-spans"));
    KStream<byte[], OtlpRequest<ExportLogsServiceRequest>> logRequests =
        builder.stream(
                topics.otlpLogs.name(),
                Consumed.with(Serdes.ByteArray(), OtlpRequest.serde(OtlpDeserializer.logs()))
                    .withName("otlp-logs-source"))
            .processValues(
                () -> new InputCheckProcessor<>(guard, metrics, EnrichmentMetrics.Source.LOGS),
                Named.as("check-logs"));

    KStream<SeriesKey, SignalWindow> metricSignals =
        byService(
                metricRequests,
                Splitters::metricsByService,
                "split-metrics-by-service",
                METRICS_BY_SERVICE,
                Parsing::resourceMetrics,
                topics.otlpMetrics.partitions(),
                metrics,
                EnrichmentMetrics.Source.METRICS)
            .process(
                supplier(
                    () -> new MetricWindowProcessor(settings, metrics),
                    MetricWindowProcessor.WINDOW_STORE,
                    MetricWindowProcessor.CUMULATIVE_STORE),
                Named.as("metric-windows"));
    KStream<SeriesKey, SignalWindow> spanSignals =
        byService(
                traceRequests,
                Splitters::spansByService,
                "split-spans-by-service",
                SPANS_BY_SERVICE,
                Parsing::resourceSpans,
                topics.otlpSpans.partitions(),
                metrics,
                EnrichmentMetrics.Source.SPANS)
            .process(
                supplier(
                    () -> new SpanRedProcessor(settings, metrics), SpanRedProcessor.WINDOW_STORE),
                Named.as("span-red-windows"));
    KStream<SeriesKey, SignalWindow> logSignals =
        byService(
                logRequests,
                Splitters::logsByService,
                "split-logs-by-service",
                LOGS_BY_SERVICE,
                Parsing::resourceLogs,
                topics.otlpLogs.partitions(),
                metrics,
                EnrichmentMetrics.Source.LOGS)
            .process(
                supplier(
                    () -> new LogCountProcessor(settings, metrics), LogCountProcessor.WINDOW_STORE),
                Named.as("log-windows"));

    metricSignals
        .merge(spanSignals, Named.as("merge-span-signals"))
        .merge(logSignals, Named.as("merge-log-signals"))
        .leftJoin(
            catalog,
            (key, window) -> key.getService(),
            new CatalogJoiner(metrics),
            Named.as("enrich-with-catalog"))
        .to(
            topics.signals.name(),
            Produced.with(VigilSerdes.SERIES_KEY, VigilSerdes.SIGNAL_WINDOW)
                .withStreamPartitioner(new ServicePartitioner())
                .withName("signals-sink"));

    KStream<String, byte[]> calls =
        batches(
                traceRequests.flatMap(
                    (k, v) -> v == null ? List.of() : Splitters.spansByTrace(v.message()),
                    Named.as("split-spans-by-trace")),
                SPANS_BY_TRACE)
            .process(
                supplier(
                    () -> new EdgePairingProcessor(settings, metrics),
                    EdgePairingProcessor.PENDING_STORE,
                    EdgePairingProcessor.ORPHAN_STORE),
                Named.as("edge-pairing"));
    KStream<EdgeKey, EdgeWindow> edges =
        batches(calls, CALLS_BY_EDGE)
            .process(
                supplier(
                    () -> new EdgeWindowProcessor(settings, metrics),
                    EdgeWindowProcessor.WINDOW_STORE),
                Named.as("edge-windows"));
    edges.to(
        topics.edges.name(),
        Produced.with(VigilSerdes.EDGE_KEY, VigilSerdes.EDGE_WINDOW).withName("edges-sink"));

    return builder.build();
  }

  private static KStream<String, byte[]> batches(KStream<String, byte[]> stream, String name) {
    return stream.repartition(
        Repartitioned.<String, byte[]>as(name)
            .withKeySerde(Serdes.String())
            .withValueSerde(Serdes.ByteArray()));
  }

  /**
   * The requests split into one batch per resource, each in the task that holds its service's
   * windows: a batch already there stays decoded in the task; any other crosses the repartition
   * topic {@code name}, which has {@code partitions} partitions (the raw topic's, so that records
   * the bridge wrote, keyed by service, are all already there). See {@link ServiceSplitProcessor}.
   */
  private static <R extends Message, B extends Message> KStream<String, ServiceBatch<B>> byService(
      KStream<byte[], OtlpRequest<R>> requests,
      BiFunction<OtlpRequest<R>, Predicate<String>, List<KeyValue<String, ServiceBatch<B>>>> split,
      String splitName,
      String name,
      Function<byte[], B> parser,
      int partitions,
      EnrichmentMetrics metrics,
      EnrichmentMetrics.Source source) {
    KStream<String, ServiceBatch<B>> batches =
        requests.process(
            () -> new ServiceSplitProcessor<>(split, partitions, metrics, source),
            Named.as(splitName));
    KStream<String, ServiceBatch<B>> moved =
        batches
            .filterNot((service, batch) -> batch.local(), Named.as(name + "-elsewhere"))
            .repartition(
                Repartitioned.<String, ServiceBatch<B>>as(name)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(ServiceBatch.serde(parser))
                    .withNumberOfPartitions(partitions));
    return batches
        .filter((service, batch) -> batch.local(), Named.as(name + "-here"))
        .merge(moved, Named.as(name + "-merged"));
  }

  private static <VIn, KOut, VOut> ProcessorSupplier<String, VIn, KOut, VOut> supplier(
      Supplier<Processor<String, VIn, KOut, VOut>> factory, String... storeNames) {
    Set<StoreBuilder<?>> stores =
        Set.of(storeNames).stream()
            .map(
                name ->
                    (StoreBuilder<?>)
                        Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(name),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                            .withCachingEnabled())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, VIn, KOut, VOut> get() {
        return factory.get();
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return stores;
      }
    };
  }
}
