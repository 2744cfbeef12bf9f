package dev.vigil.deploy.replay;

import static dev.vigil.testkit.Otlp.attribute;

import dev.vigil.runtime.otlp.OtlpJson;
import dev.vigil.testkit.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small recorded shop, written the way the Collector's file exporter writes: frontend → checkout
 * → payment → a PostgreSQL database, plus an unrelated search → catalog pair, ten requests a minute
 * each, with jittered latencies. From {@link #FAULT_START} for {@link #FAULT_LENGTH} the database
 * answers ten times slower; callers see it in their own durations, and payment logs errors. One
 * request line per service and minute, spread over three files (two of traces, one of logs) whose
 * lines interleave in time. Deterministic for a seed.
 */
final class RecordedShop {
  /** First minute of the recording; old on purpose: nothing may depend on the wall clock. */
  static final Instant START = Instant.parse("2024-03-01T00:00:00Z");

  /** Minutes recorded. */
  static final int MINUTES = 45;

  /** When the database slows down. */
  static final Instant FAULT_START = START.plus(Duration.ofMinutes(30));

  /** How long it stays slow. */
  static final Duration FAULT_LENGTH = Duration.ofMinutes(10);

  /** The database as enrichment names it from the client spans. */
  static final String DATABASE = "postgresql:payments";

  private static final int REQUESTS_PER_MINUTE = 6;
  private static final HexFormat HEX = HexFormat.of();

  private final SplittableRandom random;
  private final boolean withKinds;
  private long ids;

  /**
   * @param seed seed of the jitter
   * @param withKinds false to leave out span kinds and statuses, as some benchmark data does
   */
  RecordedShop(long seed, boolean withKinds) {
    this.random = new SplittableRandom(seed);
    this.withKinds = withKinds;
  }

  /**
   * Regenerates the recording checked in under {@code src/test/resources/replay/shop} (gzipped, as
   * {@code vigil replay otlp} also reads): run from the {@code deploy} folder.
   */
  public static void main(String[] args) throws IOException {
    new RecordedShop(7, true).writeTo(Path.of("src/test/resources/replay/shop"), ".json.gz");
  }

  /** Writes {@code frontend}, {@code backend} and {@code logs} files into {@code dir}. */
  void writeTo(Path dir, String suffix) throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter frontend = writer(dir.resolve("frontend" + suffix));
        BufferedWriter backend = writer(dir.resolve("backend" + suffix));
        BufferedWriter logs = writer(dir.resolve("logs" + suffix))) {
      for (int minute = 0; minute < MINUTES; minute++) {
        Instant at = START.plus(Duration.ofMinutes(minute));
        Map<String, List<Span>> spans = new LinkedHashMap<>();
        for (int i = 0; i < REQUESTS_PER_MINUTE; i++) {
          Instant start = at.plusMillis(i * 9_000L + random.nextInt(1_000));
          checkout(spans, start);
          search(spans, start.plusMillis(4_500));
        }
        for (Map.Entry<String, List<Span>> service : spans.entrySet()) {
          BufferedWriter out = service.getKey().equals("frontend") ? frontend : backend;
          line(out, Otlp.traces(service.getKey(), service.getValue().toArray(Span[]::new)));
        }
        line(logs, paymentLogs(at));
      }
    }
  }

  private void checkout(Map<String, List<Span>> spans, Instant start) {
    String trace = id(16);
    boolean slow = !start.isBefore(FAULT_START) && start.isBefore(FAULT_START.plus(FAULT_LENGTH));
    double db = jitter(3) * (slow ? 10 : 1);
    double payment = jitter(4) + db;
    double checkout = jitter(8) + payment;
    double frontend = jitter(5) + checkout;
    String root = id(8);
    String toCheckout = id(8);
    String checkoutServer = id(8);
    String toPayment = id(8);
    String paymentServer = id(8);
    add(spans, "frontend", span(trace, root, null, SpanKind.SPAN_KIND_SERVER, start, frontend + 1));
    add(
        spans,
        "frontend",
        span(trace, toCheckout, root, SpanKind.SPAN_KIND_CLIENT, start, frontend));
    add(
        spans,
        "checkout",
        span(trace, checkoutServer, toCheckout, SpanKind.SPAN_KIND_SERVER, start, checkout));
    add(
        spans,
        "checkout",
        span(trace, toPayment, checkoutServer, SpanKind.SPAN_KIND_CLIENT, start, payment + 0.5));
    add(
        spans,
        "payment",
        span(trace, paymentServer, toPayment, SpanKind.SPAN_KIND_SERVER, start, payment));
    Span.Builder query = span(trace, id(8), paymentServer, SpanKind.SPAN_KIND_CLIENT, start, db);
    query.addAttributes(attribute("db.system", "postgresql"));
    query.addAttributes(attribute("db.name", "payments"));
    add(spans, "payment", query);
  }

  private void search(Map<String, List<Span>> spans, Instant start) {
    String trace = id(16);
    double catalog = jitter(6);
    double search = jitter(10) + catalog;
    String root = id(8);
    String call = id(8);
    add(spans, "search", span(trace, root, null, SpanKind.SPAN_KIND_SERVER, start, search + 1));
    add(spans, "search", span(trace, call, root, SpanKind.SPAN_KIND_CLIENT, start, search));
    add(spans, "catalog", span(trace, id(8), call, SpanKind.SPAN_KIND_SERVER, start, catalog));
  }

  private ExportLogsServiceRequest paymentLogs(Instant minute) {
    List<LogRecord> records = new ArrayList<>();
    boolean slow = !minute.isBefore(FAULT_START) && minute.isBefore(FAULT_START.plus(FAULT_LENGTH));
    for (int i = 0; i < 5; i++) {
      records.add(Otlp.log(minute.plusSeconds(i * 12L), 9, "INFO"));
    }
    if (slow) {
      for (int i = 0; i < 4; i++) {
        records.add(Otlp.log(minute.plusSeconds(3 + i * 12L), 17, "ERROR"));
      }
    }
    return Otlp.logs("payment", records.toArray(LogRecord[]::new));
  }

  private Span.Builder span(
      String trace, String id, String parent, SpanKind kind, Instant start, double ms) {
    Span.Builder span = Otlp.span(trace, id, parent, kind, start, ms);
    if (!withKinds) {
      span.setKind(SpanKind.SPAN_KIND_UNSPECIFIED);
    }
    return span;
  }

  private static void add(Map<String, List<Span>> spans, String service, Span.Builder span) {
    spans.computeIfAbsent(service, s -> new ArrayList<>()).add(span.build());
  }

  /** A latency around {@code ms}, log-normally jittered by about 15%. */
  private double jitter(double ms) {
    return ms * Math.exp(0.15 * gaussian());
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private String id(int bytes) {
    long n = ++ids;
    byte[] id = new byte[bytes];
    for (int i = 0; i < 8; i++) {
      id[bytes - 1 - i] = (byte) (n >>> (8 * i));
    }
    id[0] |= (byte) 0x10; // never all zero
    return HEX.formatHex(id);
  }

  private static BufferedWriter writer(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      out = new GZIPOutputStream(out);
    }
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  private static void line(BufferedWriter out, ExportTraceServiceRequest request)
      throws IOException {
    out.write(OtlpJson.print(request));
    out.newLine();
  }

  private static void line(BufferedWriter out, ExportLogsServiceRequest request)
      throws IOException {
    out.write(OtlpJson.print(request));
    out.newLine();
  }
}
