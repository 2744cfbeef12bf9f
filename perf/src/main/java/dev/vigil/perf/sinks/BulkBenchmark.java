package dev.vigil.perf.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.vigil.sinks.search.BulkAction;
import dev.vigil.sinks.search.NdjsonBulkWriter;
import dev.vigil.sinks.search.OtlpLogDocuments;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The search sink's bulk path for one {@code _bulk} request of {@value #DOCS} OTLP log records (one
 * export request of one service, 6 attributes each, trace context): scores are documents per
 * second. Two ceilings from the same run: plain Jackson serialisation of the same documents (what
 * turning them into JSON costs at least), and a bare copy of the same NDJSON bytes (what assembling
 * a body costs at least). {@code perf/README.md} has the figures and the bytes per document to turn
 * docs/s into MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class BulkBenchmark {
  static final int DOCS = 500;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OtlpLogDocuments documents = new OtlpLogDocuments("vigil", "default");
  private final NdjsonBulkWriter writer = new NdjsonBulkWriter();
  private ExportLogsServiceRequest request;
  private List<ObjectNode> trees;
  private List<BulkAction> actions;
  private byte[] body;
  private ByteArrayOutputStream copy;

  /** Builds the request, its documents and its NDJSON body once. */
  @Setup
  public void setUp() throws JsonProcessingException {
    request = request();
    trees = documents.documents(request, 0);
    actions = new ArrayList<>(DOCS);
    for (int i = 0; i < trees.size(); i++) {
      actions.add(
          new BulkAction(
              BulkAction.Op.CREATE,
              "logs-vigil-default",
              "otlp_logs+3+1234567+" + i,
              MAPPER.writeValueAsBytes(trees.get(i))));
    }
    body = writer.write(actions);
    copy = new ByteArrayOutputStream(body.length);
  }

  /** The whole path: OTLP request to documents to JSON to NDJSON body. */
  @Benchmark
  @OperationsPerInvocation(DOCS)
  public byte[] otlpToNdjson() throws JsonProcessingException {
    List<ObjectNode> docs = documents.documents(request, 0);
    List<BulkAction> batch = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      batch.add(
          new BulkAction(
              BulkAction.Op.CREATE,
              "logs-vigil-default",
              "otlp_logs+3+1234567+" + i,
              MAPPER.writeValueAsBytes(docs.get(i))));
    }
    return writer.write(batch);
  }

  /** Ceiling of the JSON step: Jackson writing the same, already built, documents. */
  @Benchmark
  @OperationsPerInvocation(DOCS)
  public int jacksonOnly() throws JsonProcessingException {
    int bytes = 0;
    for (ObjectNode tree : trees) {
      bytes += MAPPER.writeValueAsBytes(tree).length;
    }
    return bytes;
  }

  /** The NDJSON step alone: metadata lines and copies of the serialised sources. */
  @Benchmark
  @OperationsPerInvocation(DOCS)
  public byte[] ndjsonOnly() {
    return writer.write(actions);
  }

  /** Ceiling of the NDJSON step: copying the same body's bytes. */
  @Benchmark
  @OperationsPerInvocation(DOCS)
  public byte[] copyOnly() {
    copy.reset();
    copy.write(body, 0, body.length);
    return copy.toByteArray();
  }

  /** Bytes of NDJSON per document (printed by {@link #main}, for MB/s). */
  public static void main(String[] args) throws Exception {
    BulkBenchmark benchmark = new BulkBenchmark();
    benchmark.setUp();
    System.out.printf(
        "NDJSON body: %d bytes for %d documents, %.1f bytes per document%n",
        benchmark.body.length, DOCS, benchmark.body.length / (double) DOCS);
  }

  private static ExportLogsServiceRequest request() {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder().setName("io.vigil.checkout").setVersion("1.2.0"));
    for (int i = 0; i < DOCS; i++) {
      long nanos = 1_795_514_400_000_000_000L + i * 1_000_123L;
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(nanos)
              .setObservedTimeUnixNano(nanos + 2_000_000)
              .setSeverityNumberValue(i % 10 == 0 ? 17 : 9)
              .setSeverityText(i % 10 == 0 ? "ERROR" : "INFO")
              .setBody(text("order " + i + " checked out in " + (i % 300) + " ms"))
              .addAttributes(attribute("http.route", text("/api/checkout")))
              .addAttributes(attribute("http.request.method", text("POST")))
              .addAttributes(
                  attribute("http.response.status_code", number(i % 10 == 0 ? 500 : 200)))
              .addAttributes(attribute("order.id", text("ord-" + (100_000 + i))))
              .addAttributes(attribute("user.tier", text(i % 3 == 0 ? "gold" : "standard")))
              .addAttributes(attribute("retry", number(i % 4)))
              .setTraceId(
                  ByteString.copyFrom(
                      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) i}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i})));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(attribute("service.name", text("checkout")))
                        .addAttributes(attribute("service.version", text("2.3.1")))
                        .addAttributes(attribute("k8s.pod.name", text("checkout-7d9f8-abcde"))))
                .addScopeLogs(scope))
        .build();
  }

  private static KeyValue attribute(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue text(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static AnyValue number(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }
}
