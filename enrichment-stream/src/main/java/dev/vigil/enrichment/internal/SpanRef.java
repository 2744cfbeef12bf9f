package dev.vigil.enrichment.internal;

import dev.vigil.schemas.NodeKind;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What service-graph pairing needs of one span, in a compact binary form: ids, kind, service,
 * times, failure, and the virtual node a client span calls when it has no server side.
 *
 * @param spanId 8-byte span id
 * @param parentSpanId 8-byte parent id, empty for a root span
 * @param kind span kind
 * @param service the resource's service.name
 * @param startNanos start time
 * @param endNanos end time
 * @param error status ERROR (or HTTP 5xx on a server span)
 * @param node virtual node named from db.system/db.name, messaging.system, peer.service or
 *     server.address; empty when none
 * @param nodeKind what the virtual node is
 * @param served whether the span already formed an edge
 */
public record SpanRef(
    byte[] spanId,
    byte[] parentSpanId,
    Span.SpanKind kind,
    String service,
    long startNanos,
    long endNanos,
    boolean error,
    String node,
    NodeKind nodeKind,
    boolean served) {

  private static final Set<String> CACHES = Set.of("redis", "memcached", "hazelcast", "ehcache");

  /** The reference of an OTLP span of {@code service}. */
  public static SpanRef of(Span span, String service) {
    String node = "";
    NodeKind nodeKind = NodeKind.SERVICE;
    if (span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
        || span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER) {
      var attrs = span.getAttributesList();
      String db = first(attrs, "db.system", "db.system.name");
      String messaging = Otlp.attribute(attrs, "messaging.system");
      String peer = first(attrs, "peer.service", "server.address", "net.peer.name");
      if (db != null) {
        String dbName = first(attrs, "db.name", "db.namespace");
        node = dbName == null ? db : db + ":" + dbName;
        nodeKind =
            CACHES.contains(db.toLowerCase(Locale.ROOT)) ? NodeKind.CACHE : NodeKind.DATABASE;
      } else if (messaging != null) {
        String destination = Otlp.attribute(attrs, "messaging.destination.name");
        node = destination == null ? messaging : messaging + ":" + destination;
        nodeKind = NodeKind.QUEUE;
      } else if (peer != null) {
        node = peer;
        nodeKind = NodeKind.EXTERNAL;
      }
    }
    // A kind this proto version does not know (e.g. 99) is UNRECOGNIZED, which has no number to
    // encode: it pairs as an unspecified kind (found by the raw-topic fuzz test).
    Span.SpanKind kind =
        span.getKind() == Span.SpanKind.UNRECOGNIZED
            ? Span.SpanKind.SPAN_KIND_UNSPECIFIED
            : span.getKind();
    return new SpanRef(
        span.getSpanId().toByteArray(),
        span.getParentSpanId().toByteArray(),
        kind,
        service,
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        SpanRedProcessor.isError(span),
        node,
        nodeKind,
        false);
  }

  private static String first(
      List<io.opentelemetry.proto.common.v1.KeyValue> attrs, String... keys) {
    for (String key : keys) {
      String value = Otlp.attribute(attrs, key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  /** A client or producer span: the calling side of an edge. */
  public boolean isCaller() {
    return kind == Span.SpanKind.SPAN_KIND_CLIENT || kind == Span.SpanKind.SPAN_KIND_PRODUCER;
  }

  /** A server or consumer span: the called side of an edge. */
  public boolean isCallee() {
    return kind == Span.SpanKind.SPAN_KIND_SERVER || kind == Span.SpanKind.SPAN_KIND_CONSUMER;
  }

  /** Whether the span has a parent. */
  public boolean hasParent() {
    return parentSpanId.length > 0;
  }

  public long startMs() {
    return startNanos / 1_000_000L;
  }

  public double durationMs() {
    return Math.max(0, endNanos - startNanos) / 1e6;
  }

  /** A copy marked as having formed an edge. */
  public SpanRef asServed() {
    return new SpanRef(
        spanId, parentSpanId, kind, service, startNanos, endNanos, error, node, nodeKind, true);
  }

  /** Encodes one span. */
  public byte[] encode() {
    ByteBuffer buf = ByteBuffer.allocate(encodedSize());
    write(buf);
    return buf.array();
  }

  /** Decodes one span. */
  public static SpanRef decode(byte[] bytes) {
    return read(ByteBuffer.wrap(bytes));
  }

  /** Encodes a batch of spans of one trace. */
  public static byte[] encodeAll(List<SpanRef> spans) {
    int size = 4;
    for (SpanRef s : spans) {
      size += s.encodedSize();
    }
    ByteBuffer buf = ByteBuffer.allocate(size).putInt(spans.size());
    spans.forEach(s -> s.write(buf));
    return buf.array();
  }

  /** Decodes a batch written by {@link #encodeAll}. */
  public static List<SpanRef> decodeAll(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int n = buf.getInt();
    if (n < 0 || n > bytes.length) {
      throw new IllegalArgumentException("corrupt span batch: count " + n);
    }
    List<SpanRef> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      spans.add(read(buf));
    }
    return spans;
  }

  /** Bytes {@link #encode()} writes. */
  int encodedSize() {
    return 1
        + spanId.length
        + 1
        + parentSpanId.length
        + 1
        + 2
        + utf8(service).length
        + 16
        + 1
        + 2
        + utf8(node).length
        + 1
        + 1;
  }

  /** Writes {@link #encode()}'s bytes at the buffer's position. */
  void write(ByteBuffer buf) {
    buf.put((byte) spanId.length).put(spanId);
    buf.put((byte) parentSpanId.length).put(parentSpanId);
    buf.put((byte) kind.getNumber());
    byte[] s = utf8(service);
    buf.putShort((short) s.length).put(s);
    buf.putLong(startNanos).putLong(endNanos);
    buf.put((byte) (error ? 1 : 0));
    byte[] n = utf8(node);
    buf.putShort((short) n.length).put(n);
    buf.put((byte) nodeKind.ordinal());
    buf.put((byte) (served ? 1 : 0));
  }

  private static SpanRef read(ByteBuffer buf) {
    byte[] spanId = new byte[buf.get()];
    buf.get(spanId);
    byte[] parent = new byte[buf.get()];
    buf.get(parent);
    Span.SpanKind kind = Span.SpanKind.forNumber(buf.get());
    String service = string(buf);
    long start = buf.getLong();
    long end = buf.getLong();
    boolean error = buf.get() == 1;
    String node = string(buf);
    NodeKind nodeKind = NodeKind.values()[buf.get()];
    boolean served = buf.get() == 1;
    return new SpanRef(
        spanId,
        parent,
        kind == null ? Span.SpanKind.SPAN_KIND_UNSPECIFIED : kind,
        service,
        start,
        end,
        error,
        node,
        nodeKind,
        served);
  }

  private static String string(ByteBuffer buf) {
    byte[] bytes = new byte[buf.getShort()];
    buf.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
