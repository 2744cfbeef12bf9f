package dev.vigil.perf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  private static final String CLIENT = "vigil-enrichment-aec4084e-b689-4088-8990-b67b2187ff70";

  @Test
  void countsAStreamThreadProperAndTheGlobalOneForTheirApp() {
    assertThat(ThreadCpu.part(CLIENT + "-StreamThread-1")).isEqualTo("enrichment stream thread");
    assertThat(ThreadCpu.part(CLIENT + "-StreamThread-12")).isEqualTo("enrichment stream thread");
    assertThat(ThreadCpu.part(CLIENT + "-GlobalStreamThread"))
        .isEqualTo("enrichment stream thread");
  }

  @Test
  void countsTheThreadsNamedAfterAnAppsClientIdAsItsClients() {
    assertThat(
            ThreadCpu.part(
                "kafka-producer-network-thread | " + CLIENT + "-StreamThread-1-producer"))
        .isEqualTo("enrichment clients");
    assertThat(ThreadCpu.part("kafka-coordinator-heartbeat-thread | vigil-rca"))
        .isEqualTo("rca clients");
    assertThat(ThreadCpu.part(CLIENT + "-StateUpdater-1")).isEqualTo("enrichment clients");
    assertThat(ThreadCpu.part("kafka-admin-client-thread | " + CLIENT + "-admin"))
        .isEqualTo("enrichment clients");
  }

  @Test
  void tellsTheBridgeTheBrokerAndTheLoadApart() {
    assertThat(ThreadCpu.part("kafka-producer-network-thread | vigil-bridge")).isEqualTo("bridge");
    assertThat(ThreadCpu.part("vigil-bridge-http-3")).isEqualTo("bridge");
    assertThat(ThreadCpu.part("grpc-default-executor-0")).isEqualTo("bridge");
    assertThat(ThreadCpu.part("data-plane-kafka-request-handler-0")).isEqualTo("broker");
    assertThat(ThreadCpu.part("executor-Fetch")).isEqualTo("broker");
    assertThat(ThreadCpu.part("HttpClient-1-Worker-0")).isEqualTo("load");
    assertThat(ThreadCpu.part("OkHttp TaskRunner")).isEqualTo("load");
    assertThat(ThreadCpu.part("vigil-simulator")).isEqualTo("load");
    assertThat(ThreadCpu.part("kafka-producer-network-thread | vigil-simulator")).isEqualTo("load");
    assertThat(ThreadCpu.part("vigil-management")).isEqualTo("other Java threads");
    assertThat(ThreadCpu.part("micrometer-kafka-metrics")).isEqualTo("other Java threads");
  }

  @Test
  void countsThisThreadsSpinAsLoadAndVigilsRestInAPartOfItsOwn() {
    ThreadCpu before = ThreadCpu.now();
    long spin = System.nanoTime() + 50_000_000;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1);
    }
    ThreadCpu.Split split = ThreadCpu.now().since(before);

    assertThat(sink).isPositive();
    assertThat(split.load()).as("this test's thread is main, the load").isGreaterThan(40_000_000);
    Map<String, Long> parts = split.vigilParts();
    assertThat(parts.get(ThreadCpu.REST_PART)).isNotNegative();
    // The process clock ticks coarser than the threads' clocks, so the parts may exceed it a
    // little.
    assertThat(parts.values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThanOrEqualTo(split.vigil());
  }
}
