package dev.vigil.simulator.internal;

import dev.vigil.simulator.Node;
import dev.vigil.simulator.Platform;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Generates whole traces: a user request enters the platform at its entry service and walks the
 * call graph. Every call between services is a client span in the caller and a server span (its
 * child) in the callee; databases and caches are client spans with {@code db.system} and {@code
 * db.name}; a queue is a producer span in the publisher and consumer spans (its children) in the
 * subscribers, later. A caller's time includes its callees' (calls are sequential); a failed call
 * fails its caller with probability 0.9 when the call is required (made on every request) and 0.3
 * when optional, else the caller degrades and logs a warning; a call longer than the client's
 * timeout (2 s) fails with status 504.
 */
public final class TraceGenerator {
  /** Client timeout on calls between services, in ms. */
  public static final double TIMEOUT_MS = 2_000;

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
  private static final AttributeKey<String> PEER = AttributeKey.stringKey("peer.service");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_NAME = AttributeKey.stringKey("db.name");
  private static final AttributeKey<String> DB_OPERATION =
      AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> MSG_SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> MSG_DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> MSG_OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final double SIGMA = 0.25;

  private final Platform platform;
  private final Resources resources;
  private final ServiceStats stats;
  private final SplittableRandom random;

  /** A generator over {@code platform}, recording what it generates in {@code stats}. */
  public TraceGenerator(
      Platform platform, Resources resources, ServiceStats stats, SplittableRandom random) {
    this.platform = platform;
    this.resources = resources;
    this.stats = stats;
    this.random = random;
  }

  /** One user request at {@code start}: its spans and logs are added to {@code out}. */
  public void request(Instant start, Effects effects, Batch out) {
    Trace trace = new Trace(random.nextLong() | 1, random.nextLong(), effects, out);
    long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    Node entry = platform.node(platform.entry());
    serve(trace, entry, startNanos, SpanContext.getInvalid(), SpanKind.SERVER, "GET /", true);
  }

  /** The server (or consumer) side of a call: own work around the node's calls. */
  private Outcome serve(
      Trace trace,
      Node node,
      long start,
      SpanContext parent,
      SpanKind kind,
      String name,
      boolean http) {
    SpanContext self = context(trace);
    double own =
        lognormal(
            node.latencyMs()
                * trace.effects.latencyFactor(node.name())
                * stats.queueing(node.name(), trace.effects));
    long cursor = start + nanos(own * 0.3);
    boolean failed = random.nextDouble() < trace.effects.errorRate(node.name(), node.errorRate());
    String cause = failed ? "internal error" : null;
    boolean degraded = false;
    for (Node.Call call : node.calls()) {
      if (random.nextDouble() >= call.probability()) {
        continue;
      }
      Outcome callee = call(trace, node, call, platform.node(call.target()), cursor, self);
      cursor = callee.end + 50_000;
      if (callee.failed) {
        double propagation = call.probability() >= 1 ? 0.9 : 0.3;
        if (random.nextDouble() < propagation) {
          failed = true;
          cause = cause == null ? "call to " + call.target() + " failed" : cause;
        } else {
          degraded = true;
        }
      }
    }
    long end = cursor + nanos(own * 0.7);
    Attributes attributes =
        http
            ? Attributes.of(METHOD, "GET", ROUTE, name.substring(4), STATUS, failed ? 500L : 200L)
            : Attributes.of(MSG_SYSTEM, "kafka", MSG_OPERATION, "process");
    trace.out.spans.add(
        new SimSpan(
            name,
            kind,
            self,
            parent,
            failed ? StatusData.error() : StatusData.unset(),
            start,
            end,
            attributes,
            resources.of(node.name())));
    stats.served(node.name(), (end - start) / 1e6, failed);
    log(trace, node, self, end, name, cause, degraded);
    return new Outcome(end, failed);
  }

  private Outcome call(
      Trace trace, Node caller, Node.Call call, Node target, long start, SpanContext parent) {
    SpanContext client = context(trace);
    double slowdown = trace.effects.dependencyFactor(caller.name(), target.name());
    switch (target.kind()) {
      case SERVICE -> {
        long network = nanos(0.2 + lognormal(0.3));
        Outcome server =
            serve(
                trace,
                target,
                start + network / 2,
                client,
                caller.kind() == dev.vigil.schemas.NodeKind.QUEUE
                    ? SpanKind.CONSUMER
                    : SpanKind.SERVER,
                call.operation(),
                true);
        long end = start + (long) ((server.end - start + network / 2) * slowdown);
        boolean timeout = end - start > nanos(TIMEOUT_MS);
        if (timeout) {
          end = start + nanos(TIMEOUT_MS);
        }
        boolean failed = server.failed || timeout;
        Attributes attributes =
            Attributes.builder()
                .put(METHOD, "GET")
                .put(URL_PATH, call.operation().substring(4))
                .put(SERVER, target.name())
                .put(PEER, target.name())
                .put(STATUS, timeout ? 504L : failed ? 500L : 200L)
                .build();
        clientSpan(
            trace,
            caller,
            client,
            parent,
            call.operation(),
            SpanKind.CLIENT,
            start,
            end,
            failed,
            attributes);
        return new Outcome(end, failed);
      }
      case DATABASE, CACHE -> {
        double ms =
            lognormal(target.latencyMs() * trace.effects.latencyFactor(target.name()) * slowdown);
        boolean failed =
            random.nextDouble() < trace.effects.errorRate(target.name(), target.errorRate());
        long end = start + nanos(ms);
        Attributes attributes =
            Attributes.of(
                DB_SYSTEM,
                target.system(),
                DB_NAME,
                target.resourceName(),
                DB_OPERATION,
                call.operation().split(" ")[0]);
        clientSpan(
            trace,
            caller,
            client,
            parent,
            call.operation(),
            SpanKind.CLIENT,
            start,
            end,
            failed,
            attributes);
        return new Outcome(end, failed);
      }
      default -> {
        long end = start + nanos(lognormal(target.latencyMs() * slowdown));
        Attributes attributes =
            Attributes.of(
                MSG_SYSTEM,
                target.system(),
                MSG_DESTINATION,
                target.resourceName(),
                MSG_OPERATION,
                "publish");
        clientSpan(
            trace,
            caller,
            client,
            parent,
            call.operation(),
            SpanKind.PRODUCER,
            start,
            end,
            false,
            attributes);
        // Subscribers process the message later; their outcome does not reach the publisher.
        for (Node.Call consumer : target.calls()) {
          if (random.nextDouble() < consumer.probability()) {
            long lag = nanos(2 + random.nextDouble() * 30);
            serve(
                trace,
                platform.node(consumer.target()),
                end + lag,
                client,
                SpanKind.CONSUMER,
                consumer.operation(),
                false);
          }
        }
        return new Outcome(end, false);
      }
    }
  }

  private void clientSpan(
      Trace trace,
      Node caller,
      SpanContext self,
      SpanContext parent,
      String name,
      SpanKind kind,
      long start,
      long end,
      boolean failed,
      Attributes attributes) {
    trace.out.spans.add(
        new SimSpan(
            name,
            kind,
            self,
            parent,
            failed ? StatusData.error() : StatusData.unset(),
            start,
            end,
            attributes,
            resources.of(caller.name())));
  }

  private void log(
      Trace trace,
      Node node,
      SpanContext span,
      long end,
      String name,
      String cause,
      boolean degraded) {
    Severity severity;
    String text;
    if (cause != null) {
      severity = Severity.ERROR;
      text = name + " failed: " + cause;
    } else if (degraded) {
      severity = Severity.WARN;
      text = name + " degraded: an optional call failed, served without it";
    } else if (random.nextDouble() < 0.02) {
      severity = Severity.INFO;
      text = name + " served";
    } else {
      return;
    }
    trace.out.logs.add(
        new SimLog(resources.of(node.name()), end, span, severity, text, Attributes.empty()));
  }

  private SpanContext context(Trace trace) {
    return SpanContext.create(
        TraceId.fromLongs(trace.high, trace.low),
        SpanId.fromLong(random.nextLong() | 1),
        TraceFlags.getSampled(),
        TraceState.getDefault());
  }

  /** A log-normal draw around {@code median} (ms). */
  private double lognormal(double median) {
    return median * Math.exp(SIGMA * gaussian());
  }

  private double gaussian() {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static long nanos(double ms) {
    return (long) (ms * 1_000_000);
  }

  private record Outcome(long end, boolean failed) {}

  /** One trace being generated. */
  private static final class Trace {
    final long high;
    final long low;
    final Effects effects;
    final Batch out;

    Trace(long high, long low, Effects effects, Batch out) {
      this.high = high;
      this.low = low;
      this.effects = effects;
      this.out = out;
    }
  }
}
