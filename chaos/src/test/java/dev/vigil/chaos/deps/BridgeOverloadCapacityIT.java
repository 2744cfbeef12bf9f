package dev.vigil.chaos.deps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.KafkaCluster;
import dev.vigil.testkit.Otlp;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge in its own JVM with a small heap: first its capacity is measured with closed-loop
 * clients, then it is offered three times that rate open-loop (at most 400 requests outstanding, as
 * a pool of clients would have). It must stay up, keep its heap bounded and keep serving near its
 * capacity; whatever it refuses must be a 429/503 with Retry-After.
 */
@Timeout(180)
class BridgeOverloadCapacityIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  private static final String HEAP = "256m";
  private static final int SPANS_PER_REQUEST = 200;
  private static final Duration CAPACITY_WARMUP = Duration.ofSeconds(3);
  private static final Duration CAPACITY_RUN = Duration.ofSeconds(5);
  private static final Duration OVERLOAD_RUN = Duration.ofSeconds(10);
  private static final int MAX_OUTSTANDING = 400;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final byte[] body;

  BridgeOverloadCapacityIT() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      spans.add(Otlp.span("op-" + i, 200));
    }
    body = Otlp.traces("overload", spans.toArray(Span[]::new)).toByteArray();
  }

  @Test
  void threeTimesCapacityIsShedWithBoundedMemory() throws Exception {
    try (VigilChild bridge =
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
                "state.dir=" + Files.createTempDirectory("bridge")))) {
      URI traces =
          URI.create(
              "http://127.0.0.1:" + bridge.find("HTTP 127\\.0\\.0\\.1:(\\d+)") + "/v1/traces");

      // Capacity: 8 clients back to back; requests acknowledged per second after a warm-up.
      double capacity = closedLoop(traces, 8);

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
          http.sendAsync(request(traces), HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, error) -> {
                    outstanding.decrementAndGet();
                    String outcome =
                        error != null
                            ? "error " + error.getClass().getSimpleName()
                            : response.statusCode()
                                + (response.headers().firstValue("Retry-After").isPresent()
                                    ? " retry-after"
                                    : "");
                    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                  });
        }
        LockSupport.parkNanos(1_000_000);
      }
      org.awaitility.Awaitility.await("overload answers in")
          .atMost(Duration.ofSeconds(30))
          .until(() -> outstanding.get() == 0);
      heap.stopAndJoin();

      long accepted = count(outcomes, "200");
      long shed = count(outcomes, "429 retry-after") + count(outcomes, "503 retry-after");
      System.out.printf(
          "FIGURES bridge-overload: capacity=%.0f req/s (%.0f spans/s) offered=%d (%.0f req/s) "
              + "not-sent(client cap)=%d outcomes=%s accepted/s=%.0f peak-heap-used=%.1fMB "
              + "peak-live-after-gc=%.1fMB heap-max=%s alive=%s%n",
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
      assertThat(bridge.isAlive()).as(bridge.stderr()).isTrue();
      assertThat(bridge.stderr()).doesNotContain("OutOfMemoryError");
      // Memory: what survives a GC stays far under the heap (19.5 MB of 256 MB measured).
      assertThat(heap.peakLive).isLessThan(64e6);
      // What it cannot serve it refuses at once (bridge.http.max.queued) instead of queueing.
      assertThat(shed).as("requests refused with 429 + Retry-After").isPositive();
      // Goodput holds under overload (65-80% of the capacity measured in the same run; the margin
      // is for a CI machine whose load changes between the two phases).
      assertThat(accepted / (double) OVERLOAD_RUN.toSeconds()).isGreaterThan(0.4 * capacity);
      // Every answer is a 200 or a refusal the client may retry; nothing else.
      assertThat(accepted + shed)
          .isEqualTo(outcomes.values().stream().mapToLong(LongAdder::sum).sum());
    }
  }

  private HttpRequest request(URI traces) {
    return HttpRequest.newBuilder(traces)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** Requests acknowledged per second by {@code clients} back-to-back clients, after warm-up. */
  private double closedLoop(URI traces, int clients) throws Exception {
    LongAdder acked = new LongAdder();
    long start = System.nanoTime();
    long measureFrom = start + CAPACITY_WARMUP.toNanos();
    long end = measureFrom + CAPACITY_RUN.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  try {
                    int status =
                        http.send(request(traces), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200 && System.nanoTime() > measureFrom) {
                      acked.increment();
                    }
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return acked.sum() / (double) CAPACITY_RUN.toSeconds();
  }

  private static long count(Map<String, LongAdder> outcomes, String key) {
    LongAdder n = outcomes.get(key);
    return n == null ? 0 : n.sum();
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
