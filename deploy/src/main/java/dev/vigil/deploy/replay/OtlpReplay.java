package dev.vigil.deploy.replay;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.vigil.deploy.broker.EmbeddedBroker;
import dev.vigil.enrichment.EnrichmentConfig;
import dev.vigil.rca.IncidentLines;
import dev.vigil.rca.RcaConfig;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.otlp.OtlpSignal;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.ChangeType;
import dev.vigil.schemas.json.RecordJson;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recorded OTLP telemetry through the live chain (enrichment → anomaly → rca) on a private
 * embedded broker, in event time, and copies what the chain produces into files.
 *
 * <ol>
 *   <li>A broker in a temporary folder, topics with one partition each (one task per stage, so the
 *       order of the data is the order of processing), retention checks off (the records carry
 *       their months-old event times, which retention would delete at once).
 *   <li>Every request of every file, merged in event-time order, produced as protobuf.
 *   <li>When the apps have consumed all of it, an end-of-data marker moves event time past the last
 *       window and its grace period, so every window closes; then a second one moves the RCA stage
 *       past its last evaluation. The markers come from a service named {@value #END_SERVICE},
 *       which never reaches an incident (it has no history).
 *   <li>When the apps are idle again, the output topics are copied and the files moved into place.
 * </ol>
 *
 * <p>Nothing reads the wall clock for the data: the output depends on the input and the settings.
 */
public final class OtlpReplay {
  private static final Logger LOGGER = LoggerFactory.getLogger(OtlpReplay.class);

  /** The service of the end-of-data markers: {@value}. */
  public static final String END_SERVICE = "vigil-replay-end";

  private static final Duration WINDOW = Duration.ofMinutes(1);

  /**
   * Event time produced before the replay waits for the apps to catch up: one window. Live data
   * arrives at the pace of the clock, so every stage keeps up within seconds; a replay produces
   * hours in a second, and the stages would drift apart by minutes of event time (the edges' path
   * has two repartitions more than the anomalies', metrics, spans and logs are windowed by separate
   * tasks): the RCA stage would judge anomalies against a graph whose edges had aged out, and which
   * windows meet in the service-health judgement would depend on timing. Stepping one window at a
   * time hands every stage each window's data before the next, as live operation does.
   */
  private static final Duration STEP = WINDOW;

  private static final Duration STATUS_EVERY = Duration.ofSeconds(5);
  private static final int MAX_REQUEST_BYTES = 64 << 20;

  /** Starts the apps of the chain against a broker; closing the result stops them. */
  @FunctionalInterface
  public interface Chain {
    AutoCloseable start(CoreConfig config) throws Exception;
  }

  /**
   * Where the output goes.
   *
   * @param incidents incident versions, one JSON line each (REPLAY.md)
   * @param anomalies anomaly events as JSON lines, or null
   * @param alerts alerts as JSON lines, or null
   */
  public record Outputs(Path incidents, Path anomalies, Path alerts) {}

  /**
   * What a replay did.
   *
   * @param files files read
   * @param requests export requests replayed
   * @param first earliest event time seen
   * @param last latest event time seen
   * @param incidentVersions lines written to the incidents file
   * @param took how long it ran
   */
  public record Summary(
      int files,
      long requests,
      Instant first,
      Instant last,
      long incidentVersions,
      Duration took) {}

  private final Function<Map<String, String>, CoreConfig> settings;
  private final Chain chain;
  private final PrintWriter status;
  private final String externalBroker;

  /**
   * @param settings loads the settings, given those the replay implies (broker, state folder,
   *     partitions); the user's own (file, environment, --set) apply on top
   * @param chain starts enrichment, anomaly and rca
   * @param status where progress lines go
   */
  public OtlpReplay(
      Function<Map<String, String>, CoreConfig> settings, Chain chain, PrintWriter status) {
    this(settings, chain, status, null);
  }

  private OtlpReplay(
      Function<Map<String, String>, CoreConfig> settings,
      Chain chain,
      PrintWriter status,
      String externalBroker) {
    this.settings = settings;
    this.chain = chain;
    this.status = status;
    this.externalBroker = externalBroker;
  }

  /**
   * The same replay on an existing broker instead of a private one, for tests that act on the
   * broker while the replay runs (chaos tests restart it). The caller keeps retention checks off
   * (the records keep their event times), creates nothing, and gives each replay on the same broker
   * its own {@code topic.prefix}; waiting for the apps looks at every group and topic of the
   * broker.
   */
  public OtlpReplay onBroker(String bootstrapServers) {
    return new OtlpReplay(
        settings, chain, status, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
  }

  /**
   * Replays every file under {@code in}.
   *
   * @throws ReplayInputException if a file or line cannot be read (no output is left behind)
   */
  @SuppressWarnings("try") // the apps run while the body works; closing stops them
  public Summary run(Path in, Outputs outputs)
      throws ReplayInputException, IOException, InterruptedException {
    long started = System.nanoTime();
    Path work = Files.createTempDirectory("vigil-replay-");
    try (TimeOrderedLines lines = new TimeOrderedLines(in)) {
      long inputBytes = sizeOf(in);
      EmbeddedBroker broker =
          externalBroker != null
              ? null
              : new EmbeddedBroker(work.resolve("broker"), "127.0.0.1", freePort(), freePort())
                  .withSettings(
                      Map.of(
                          // The records keep their event times, months old perhaps: no retention
                          // check
                          // may run during the replay. Ten years is "never" for a scheduler.
                          "log.initial.task.delay.ms",
                              Long.toString(Duration.ofDays(3650).toMillis()),
                          "log.retention.check.interval.ms",
                              Long.toString(Duration.ofDays(3650).toMillis()),
                          "message.max.bytes", Integer.toString(MAX_REQUEST_BYTES)));
      CoreConfig config =
          settings.apply(
              Map.of(
                  CoreConfig.BOOTSTRAP_SERVERS_CONFIG,
                  broker == null ? externalBroker : broker.bootstrapServers(),
                  CoreConfig.STATE_DIR_CONFIG,
                  work.resolve("streams").toString(),
                  CoreConfig.TOPIC_PARTITIONS_CONFIG,
                  "1",
                  CoreConfig.MANAGEMENT_PORT_CONFIG,
                  "0",
                  // Each stage hands its output on at a commit; a replay waits for all of them at
                  // every step, so short commits make it faster (the user's --set still wins).
                  CoreConfig.STREAMS_COMMIT_INTERVAL_CONFIG,
                  "20",
                  // A read-committed fetch can sit out its whole wait after a commit marker.
                  CoreConfig.KAFKA_PREFIX + "fetch.max.wait.ms",
                  "20",
                  // Event time only: rca's wall-clock evaluation trigger would make the incident
                  // versions depend on how fast this machine replays.
                  RcaConfig.EVALUATE_DELAY_CONFIG,
                  "0"));
      try {
        if (broker != null) {
          broker.start(config.startupTimeout());
        }
        try (AutoCloseable apps = chain.start(config);
            Session session = new Session(config, lines, inputBytes)) {
          session.collect(outputs);
          session.produceAll();
          if (session.progress.requests == 0) {
            throw new ReplayInputException(
                in + ": no OTLP requests in " + lines.fileCount() + " files");
          }
          status.printf(
              "vigil replay otlp: input drained (%,d requests); closing the last windows%n",
              session.progress.requests);
          status.flush();
          session.awaitIdle();
          long end = endOfData(session.progress.lastNanos, config);
          produceEndOfWindows(session.producer, session.topics, end);
          session.awaitIdle();
          produceEndOfEvaluation(session.producer, session.topics, end);
          session.awaitIdle();
          long versions = session.finish();
          return new Summary(
              lines.fileCount(),
              session.progress.requests,
              Instant.ofEpochMilli(session.progress.firstNanos / 1_000_000),
              Instant.ofEpochMilli(session.progress.lastNanos / 1_000_000),
              versions,
              Duration.ofNanos(System.nanoTime() - started));
        } catch (ReplayInputException | IOException | InterruptedException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("replay failed: " + e.getMessage(), e);
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
      }
    } finally {
      deleteTree(work);
    }
  }

  /** One replay's connections to the broker, its input and its progress. */
  private final class Session implements AutoCloseable {
    final TopicCatalog topics;
    final TimeOrderedLines lines;
    final Admin admin;
    final Quiescence quiescence;
    final Sender producer;
    final OutputCollector collector;
    final Progress progress;
    final Duration idleTimeout;

    Session(CoreConfig config, TimeOrderedLines lines, long inputBytes) {
      this.topics = config.topicCatalog();
      this.lines = lines;
      this.admin = Admin.create(config.kafkaClientConfig());
      this.quiescence = new Quiescence(admin, config.kafkaClientConfig());
      this.producer = new Sender(config);
      this.collector = new OutputCollector(config.kafkaClientConfig());
      this.progress = new Progress(lines, inputBytes, collector, topics);
      // Generous: a stage that makes no progress for this long is stuck, not slow.
      this.idleTimeout = config.startupTimeout().multipliedBy(10);
    }

    void collect(Outputs outputs) throws IOException {
      collector.add(topics.incidents, IncidentLines::toLine, outputs.incidents());
      if (outputs.anomalies() != null) {
        collector.add(topics.anomalies, RecordJson::toJson, outputs.anomalies());
      }
      if (outputs.alerts() != null) {
        collector.add(topics.alerts, RecordJson::toJson, outputs.alerts());
      }
      collector.start();
    }

    /** Produces every line in event-time order, in steps of {@link #STEP}. */
    void produceAll() throws ReplayInputException, IOException, InterruptedException {
      long nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
      long stepEnd = Long.MIN_VALUE;
      for (OtlpLine line = lines.next(); line != null; line = lines.next()) {
        if (line.timeNanos() > 0 && line.timeNanos() >= stepEnd) {
          if (stepEnd != Long.MIN_VALUE) {
            awaitIdle();
          }
          stepEnd = line.timeNanos() + STEP.toNanos();
        }
        byte[] bytes = line.request().toByteArray();
        if (bytes.length > MAX_REQUEST_BYTES) {
          throw new ReplayInputException(
              line.location()
                  + ": request of "
                  + bytes.length
                  + " bytes is over the replay's limit of "
                  + MAX_REQUEST_BYTES);
        }
        long millis = line.timeNanos() / 1_000_000;
        producer.send(topic(topics, line.signal()).name(), millis > 0 ? millis : null, null, bytes);
        progress.saw(line);
        if (System.nanoTime() > nextStatus) {
          collector.pollAvailable();
          printStatus();
          nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
        }
      }
      producer.flush();
    }

    /** Waits until every app has processed everything written so far. */
    void awaitIdle() throws InterruptedException, IOException {
      producer.flush();
      long deadline = System.nanoTime() + idleTimeout.toNanos();
      long nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
      while (!quiescence.settled()) {
        collector.pollAvailable();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the stream apps made no end of processing within " + idleTimeout);
        }
        if (System.nanoTime() > nextStatus) {
          printStatus();
          nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
        }
        TimeUnit.MILLISECONDS.sleep(50); // between two reads of the broker's offsets
      }
      collector.pollAvailable();
    }

    /** Copies the rest of the output and moves the files into place; returns incident lines. */
    long finish() throws IOException {
      collector.drain();
      long versions = collector.lines(topics.incidents);
      collector.commit();
      return versions;
    }

    private void printStatus() {
      status.println(progress.line());
      status.flush();
    }

    @Override
    public void close() throws IOException {
      try (admin;
          quiescence;
          producer) {
        collector.close();
      }
    }
  }

  /**
   * Event time past which every window of the data has closed: the end of the last window plus the
   * larger of enrichment's grace and pairing time, plus one window so the marker's own window opens
   * after all of them.
   */
  private static long endOfData(long lastNanos, CoreConfig config) {
    long windowMs = WINDOW.toMillis();
    long lastWindowEnd = (lastNanos / 1_000_000 / windowMs + 1) * windowMs;
    long grace =
        Math.max(
            millis(config, EnrichmentConfig.GRACE_CONFIG),
            millis(config, EnrichmentConfig.PAIRING_TTL_CONFIG));
    return lastWindowEnd + grace + windowMs;
  }

  private static long millis(CoreConfig config, String key) {
    Object value = config.values().get(key);
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static void produceEndOfWindows(Sender producer, TopicCatalog topics, long atMillis) {
    long nanos = atMillis * 1_000_000;
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(END_SERVICE)))
            .build();
    Span span =
        Span.newBuilder()
            .setTraceId(
                ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8}))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("end of replay")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(nanos)
            .setEndTimeUnixNano(nanos)
            .build();
    // The edge windows' event time moves with calls only, and a lone server span makes none: a
    // client span to a database (a call at once, no partner needed) closes the last edge windows
    // and their grace too. Its own window never closes, so no edge of this service is emitted.
    Span call =
        Span.newBuilder()
            .setTraceId(span.getTraceId())
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 9}))
            .setParentSpanId(span.getSpanId())
            .setName("end of replay")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(nanos)
            .setEndTimeUnixNano(nanos)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("db.system")
                    .setValue(AnyValue.newBuilder().setStringValue(END_SERVICE)))
            .build();
    Message traces =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource)
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).addSpans(call)))
            .build();
    Message metrics =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource)
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("vigil.replay.end")
                                    .setGauge(
                                        Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder()
                                                    .setTimeUnixNano(nanos)
                                                    .setAsDouble(1))))))
            .build();
    Message logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource)
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setTimeUnixNano(nanos)
                                    .setBody(
                                        AnyValue.newBuilder().setStringValue("end of replay")))))
            .build();
    for (Map.Entry<OtlpSignal, Message> marker :
        Map.of(OtlpSignal.TRACES, traces, OtlpSignal.METRICS, metrics, OtlpSignal.LOGS, logs)
            .entrySet()) {
      producer.send(
          topic(topics, marker.getKey()).name(), atMillis, null, marker.getValue().toByteArray());
    }
    producer.flush();
  }

  private static void produceEndOfEvaluation(Sender producer, TopicCatalog topics, long atMillis) {
    ChangeEvent end =
        ChangeEvent.newBuilder()
            .setService(END_SERVICE)
            .setType(ChangeType.OTHER)
            .setAt(Instant.ofEpochMilli(atMillis))
            .setDescription(
                "end of replay: moves the RCA stage's event time past its last evaluation")
            .setSource("vigil replay otlp")
            .build();
    TopicSpec<String, ChangeEvent> changes = topics.changes;
    byte[] key = changes.keySerde().serializer().serialize(changes.name(), END_SERVICE);
    byte[] value = changes.valueSerde().serializer().serialize(changes.name(), end);
    producer.send(changes.name(), atMillis, key, value);
    producer.flush();
  }

  /** A producer whose first failed send fails the replay at the next send or flush. */
  private static final class Sender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Sender(CoreConfig config) {
      Map<String, Object> props = new HashMap<>(config.kafkaClientConfig());
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
      props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
      this.producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(String topic, Long timestamp, byte[] key, byte[] value) {
      check();
      producer.send(
          new ProducerRecord<>(topic, null, timestamp, key, value),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
    }

    void flush() {
      producer.flush();
      check();
    }

    private void check() {
      Exception e = failure.get();
      if (e != null) {
        throw new IllegalStateException("cannot write to the replay broker: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  private static TopicSpec<String, byte[]> topic(TopicCatalog topics, OtlpSignal signal) {
    return switch (signal) {
      case METRICS -> topics.otlpMetrics;
      case TRACES -> topics.otlpSpans;
      case LOGS -> topics.otlpLogs;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long sizeOf(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /**
   * Removes the replay's temporary folder, best effort: a broker or Streams thread that is still
   * letting go of a file must not turn a finished replay, or its real error, into a cleanup error.
   */
  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LOGGER.warn("Could not remove the replay's temporary folder {}: {}", root, e.toString());
    }
  }

  /** Counts what has been replayed, for the status lines and the summary. */
  private static final class Progress {
    final TimeOrderedLines lines;
    final long inputBytes;
    final OutputCollector collector;
    final TopicCatalog topics;
    long requests;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos;

    Progress(
        TimeOrderedLines lines, long inputBytes, OutputCollector collector, TopicCatalog topics) {
      this.lines = lines;
      this.inputBytes = inputBytes;
      this.collector = collector;
      this.topics = topics;
    }

    void saw(OtlpLine line) {
      requests++;
      if (line.timeNanos() > 0 && line.timeNanos() != OtlpEventTime.NONE) {
        firstNanos = Math.min(firstNanos, line.timeNanos());
        lastNanos = Math.max(lastNanos, line.timeNanos());
      }
    }

    String line() {
      return String.format(
          "vigil replay otlp: %,d requests (%,d MB of %,d) read, event time %s, %,d incident versions",
          requests,
          lines.bytesRead() >> 20,
          inputBytes >> 20,
          lastNanos == 0 ? "-" : Instant.ofEpochMilli(lastNanos / 1_000_000),
          collector.lines(topics.incidents));
    }
  }
}
