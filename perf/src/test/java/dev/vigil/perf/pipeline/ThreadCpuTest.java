package dev.vigil.perf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  private static final String CLIENT = "vigil-enrichment-aec4084e-b689-4088-8990-b67b2187ff70";

  @Test
  void countsAStreamThreadAndTheGlobalOneForTheirApp() {
    assertThat(ThreadCpu.streamThreadApp(CLIENT + "-StreamThread-1")).isEqualTo("enrichment");
    assertThat(ThreadCpu.streamThreadApp(CLIENT + "-StreamThread-12")).isEqualTo("enrichment");
    assertThat(ThreadCpu.streamThreadApp(CLIENT + "-GlobalStreamThread")).isEqualTo("enrichment");
  }

  @Test
  void leavesOutTheStreamThreadsClientsAndOtherThreads() {
    assertThat(
            ThreadCpu.streamThreadApp(
                "kafka-producer-network-thread | " + CLIENT + "-StreamThread-1-producer"))
        .isNull();
    assertThat(ThreadCpu.streamThreadApp(CLIENT + "-StreamThread-1-consumer")).isNull();
    assertThat(ThreadCpu.streamThreadApp(CLIENT + "-CleanupThread")).isNull();
    assertThat(ThreadCpu.streamThreadApp("data-plane-kafka-request-handler-0")).isNull();
  }
}
