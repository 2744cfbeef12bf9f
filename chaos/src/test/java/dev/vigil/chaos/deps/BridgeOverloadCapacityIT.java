package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge in its own JVM with a small heap, once per protocol: first its capacity is measured
 * with closed-loop clients, then it is offered three times that rate open-loop (at most 400
 * requests outstanding, as a pool of clients would have). It must stay up, keep its heap bounded
 * and keep serving near its capacity; whatever it refuses must be a 429/503 with Retry-After, or
 * RESOURCE_EXHAUSTED/UNAVAILABLE with a RetryInfo.
 */
@Timeout(240)
class BridgeOverloadCapacityIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final String HEAP = "256m";
  private static final int SPANS_PER_REQUEST = 200;
  private static final Duration WARMUP = Duration.ofSeconds(3);
  private static final Duration CAPACITY_WARMUP = Duration.ofSeconds(2);
  private static final Duration CAPACITY_RUN = Duration.ofSeconds(5);
  private static final Duration OVERLOAD_RUN = Duration.ofSeconds(10);
  private static final int MAX_OUTSTANDING = 400;
  private static final int CLIENTS = 8;
  private static final ExportTraceServiceRequest REQUEST = request();

  private static VigilChild bridge;

  @BeforeAll
  static void startBridge() throws Exception {
    bridge =
        VigilChild.run(
            HEAP,
            List.of(
                "bridge",
                "-b",
                KAFKA.bootstrapServers(),
                "--set",
                "bridge.host=127.0.0.1",
                "--set",
                "bridge.grpc.port=0",
                "--set",
                "bridge.http.port=0",
                "--set",
                "topic.replication.factor=1",
                "--set",
                "state.dir=" + Files.createTempDirectory("bridge")));
    // Both receivers' code compiled and the clients' connections open before anything is measured.
    closedLoop(new HttpSender(httpTraces()), WARMUP);
    try (GrpcSender sender = new GrpcSender(grpcPort())) {
      closedLoop(sender, WARMUP);
    }
  }

  private static URI httpTraces() {
    return URI.create(
        "http://127.0.0.1:" + bridge.find("HTTP 127\\.0\\.0\\.1:(\\d+)") + "/v1/traces");
  }

  private static int grpcPort() {
    return Integer.parseInt(bridge.find("OTLP gRPC 127\\.0\\.0\\.1:(\\d+)"));
  }

  @AfterAll
  static void stopBridge() {
    if (bridge != null) {
      bridge.close();
    }
  }

  @Test
  void threeTimesCapacityOverHttpIsShedWithBoundedMemory() throws Exception {
    Overload run = overload("http", new HttpSender(httpTraces()));

    long accepted = run.count("200");
    long shed = run.count("429 retry-after") + run.count("503 retry-after");
    assertBridgeCoped(run);
    // What it cannot serve it refuses at once (bridge.http.max.queued) instead of queueing.
    assertThat(shed).as("requests refused with 429 + Retry-After").isPositive();
    // Goodput holds under overload (65-80% of the capacity measured in the same run; the margin
    // is for a CI machine whose load changes between the two phases).
    assertThat(accepted / (double) OVERLOAD_RUN.toSeconds()).isGreaterThan(0.4 * run.capacity);
    // Every answer is a 200 or a refusal the client may retry; nothing else.
    assertThat(accepted + shed).as("%s", run.outcomes).isEqualTo(run.answers());
  }

  @Test
  void threeTimesCapacityOverGrpcIsShedWithBoundedMemory() throws Exception {
    try (GrpcSender sender = new GrpcSender(grpcPort())) {
      String throttled = "protocol=\"grpc\",reason=\"throttled\"";
      double throttledBefore = bridge.metric("vigil_bridge_requests_rejected_total", throttled);
      Overload run = overload("grpc", sender);

      long accepted = run.count("OK");
      long exhausted = run.count("RESOURCE_EXHAUSTED retry-info");
      long shed = exhausted + run.count("UNAVAILABLE retry-info");
      assertBridgeCoped(run);
      // What it cannot serve it refuses at once (bridge.grpc.max.calls) instead of queueing.
      assertThat(exhausted).as("calls refused with RESOURCE_EXHAUSTED + RetryInfo").isPositive();
      // Each refusal the clients saw is counted in the bridge's /metrics.
      Awaitility.await("refusals counted")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  bridge.metric("vigil_bridge_requests_rejected_total", throttled)
                      - throttledBefore,
              n -> n == exhausted);
      assertThat(accepted / (double) OVERLOAD_RUN.toSeconds()).isGreaterThan(0.4 * run.capacity);
      // Every answer is OK or a refusal the client may retry; nothing else.
      assertThat(accepted + shed).as("%s", run.outcomes).isEqualTo(run.answers());
    }
  }

  private static void assertBridgeCoped(Overload run) {
    assertThat(bridge.isAlive()).as(bridge.stderr()).isTrue();
    assertThat(bridge.stderr()).doesNotContain("OutOfMemoryError");
    // Memory: what survives a GC stays far under the heap (about 20 MB of 256 MB measured).
    assertThat(run.heap.peakLive).isLessThan(64e6);
  }

  /** Measures the capacity over one protocol, then offers three times that open loop. */
  private static Overload overload(String protocol, Sender sender) throws Exception {
    // Capacity: 8 clients back to back; requests acknowledged per second after a warm-up.
    double capacity = closedLoop(sender, CAPACITY_WARMUP) / (double) CAPACITY_RUN.toSeconds();

    // Overload: three times that, open loop (requests leave on schedule whatever the answers).
    HeapWatch heap = new HeapWatch(bridge);
    heap.start();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    AtomicInteger outstanding = new AtomicInteger();
    long offered = 0;
    long notSent = 0;
    double rate = 3 * capacity;
    long start = System.nanoTime();
    long end = start + OVERLOAD_RUN.toNanos();
    while (System.nanoTime() < end) {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
      while (offered < due) {
        offered++;
        if (outstanding.get() >= MAX_OUTSTANDING) {
          notSent++;
          continue;
        }
        outstanding.incrementAndGet();
        sender
            .send()
            .whenComplete(
                (outcome, error) -> {
                  outstanding.decrementAndGet();
                  String key =
                      error != null
                          ? "error "
                              + (error instanceof CompletionException && error.getCause() != null
                                  ? error.getCause()
                                  : error)
                          : outcome;
                  outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
                });
      }
      LockSupport.parkNanos(1_000_000);
    }
    Awaitility.await("overload answers in")
        .atMost(Duration.ofSeconds(30))
        .until(() -> outstanding.get() == 0);
    heap.stopAndJoin();

    Overload run = new Overload(capacity, rate, offered, notSent, outcomes, heap);
    long accepted = run.count("200") + run.count("OK");
    System.out.printf(
        "FIGURES bridge-overload %s: capacity=%.0f req/s (%.0f spans/s) offered=%d (%.0f req/s) "
            + "not-sent(client cap)=%d outcomes=%s accepted/s=%.0f peak-heap-used=%.1fMB "
            + "peak-live-after-gc=%.1fMB heap-max=%s alive=%s%n",
        protocol,
        capacity,
        capacity * SPANS_PER_REQUEST,
        offered,
        rate,
        notSent,
        outcomes,
        accepted / (double) OVERLOAD_RUN.toSeconds(),
        heap.peakUsed / 1e6,
        heap.peakLive / 1e6,
        HEAP,
        bridge.isAlive());
    return run;
  }

  /**
   * Requests acknowledged by {@link #CLIENTS} back-to-back clients in {@link #CAPACITY_RUN} after
   * {@code warmup} (none counted when only warming up).
   */
  private static long closedLoop(Sender sender, Duration warmup) throws Exception {
    LongAdder acked = new LongAdder();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + (warmup == WARMUP ? 0 : CAPACITY_RUN.toNanos());
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    String outcome = sender.send().join();
                    if ((outcome.equals("200") || outcome.equals("OK"))
                        && System.nanoTime() > measureFrom) {
                      acked.increment();
                    }
                  }
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).as("closed-loop clients failed").isEmpty();
    return acked.sum();
  }

  private static ExportTraceServiceRequest request() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      spans.add(Otlp.span("op-" + i, 200));
    }
    return Otlp.traces("overload", spans.toArray(Span[]::new));
  }

  /** One protocol's client: sends the request and names the answer. */
  private interface Sender {
    CompletableFuture<String> send();
  }

  /** OTLP/HTTP protobuf; the outcome is the status, with "retry-after" when it carries one. */
  private static final class HttpSender implements Sender {
    private final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final byte[] body = REQUEST.toByteArray();
    private final URI traces;

    HttpSender(URI traces) {
      this.traces = traces;
    }

    @Override
    public CompletableFuture<String> send() {
      return http.sendAsync(
              HttpRequest.newBuilder(traces)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .thenApply(
              response ->
                  response.statusCode()
                      + (response.headers().firstValue("Retry-After").isPresent()
                          ? " retry-after"
                          : ""));
    }
  }

  /**
   * OTLP/gRPC over {@link #CLIENTS} connections taken in turn (one connection would put every call
   * on one of the bridge's event-loop threads); the outcome is the status code, with "retry-info"
   * when it carries one.
   */
  private static final class GrpcSender implements Sender, AutoCloseable {
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    GrpcSender(int port) {
      for (int i = 0; i < CLIENTS; i++) {
        channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
      }
    }

    @Override
    public CompletableFuture<String> send() {
      CompletableFuture<String> outcome = new CompletableFuture<>();
      ManagedChannel channel = channels.get(Math.floorMod(next.getAndIncrement(), CLIENTS));
      TraceServiceGrpc.newStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .export(
              REQUEST,
              new StreamObserver<ExportTraceServiceResponse>() {
                @Override
                public void onNext(ExportTraceServiceResponse response) {}

                @Override
                public void onError(Throwable error) {
                  com.google.rpc.Status status = StatusProto.fromThrowable(error);
                  boolean retryInfo =
                      status != null
                          && status.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class));
                  outcome.complete(
                      Status.fromThrowable(error).getCode() + (retryInfo ? " retry-info" : ""));
                }

                @Override
                public void onCompleted() {
                  outcome.complete("OK");
                }
              });
      return outcome;
    }

    @Override
    public void close() {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /** What one overload phase offered and got. */
  private record Overload(
      double capacity,
      double rate,
      long offered,
      long notSent,
      Map<String, LongAdder> outcomes,
      HeapWatch heap) {
    long count(String outcome) {
      LongAdder n = outcomes.get(outcome);
      return n == null ? 0 : n.sum();
    }

    long answers() {
      return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }
  }

  /** Samples the child's heap from its /metrics every 200 ms. */
  private static final class HeapWatch extends Thread {
    private final VigilChild child;
    private volatile boolean running = true;
    volatile double peakUsed;
    volatile double peakLive;

    HeapWatch(VigilChild child) {
      this.child = child;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        try {
          peakUsed = Math.max(peakUsed, child.metric("jvm_memory_used_bytes", "area=\"heap\""));
          peakLive = Math.max(peakLive, child.metric("jvm_gc_live_data_size_bytes", ""));
        } catch (Exception e) {
          // A scrape that times out under overload is skipped; the next one counts.
        }
        LockSupport.parkNanos(200_000_000);
      }
    }

    void stopAndJoin() throws InterruptedException {
      running = false;
      join(10_000);
    }
  }
}
