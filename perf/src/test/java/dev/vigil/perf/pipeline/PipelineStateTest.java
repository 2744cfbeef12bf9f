package dev.vigil.perf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineStateTest {
  @Test
  void sumsEachStoreOverTasksAndAppsAndKeepsTheRestApart(@TempDir Path state) throws Exception {
    write(state.resolve("vigil-enrichment/2_0/rocksdb/enrichment-edge-pending/000011.sst"), 700);
    write(state.resolve("vigil-enrichment/2_1/rocksdb/enrichment-edge-pending/000012.sst"), 300);
    write(state.resolve("vigil-rca/global/rocksdb/rca-catalog/MANIFEST-000005"), 40);
    write(state.resolve("vigil-enrichment/2_0/.checkpoint"), 5);

    assertThat(Pipeline.bytesByStore(state))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("enrichment-edge-pending", 1000L, "rca-catalog", 40L, "(not a store)", 5L));
    assertThat(Pipeline.bytesByStore(state.resolve("absent"))).isEmpty();
  }

  private static void write(Path file, int bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[bytes]);
  }
}
