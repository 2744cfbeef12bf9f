package dev.vigil.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

  @Test
  void documentedReferenceMatchesTheDefinition() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "configuration.md"));

    assertThat(docs)
        .as("docs/configuration.md is stale: regenerate its table with 'vigil config'")
        .endsWith(ConfigReference.markdown(CoreConfig.definition()));
  }

  @Test
  void rendersOneRowPerKeyWithEnvironmentName() {
    String table = ConfigReference.markdown(CoreConfig.definition());

    assertThat(table.lines()).hasSize(2 + CoreConfig.definition().names().size());
    assertThat(table)
        .contains("| `management.port` | `VIGIL_MANAGEMENT_PORT` | int | `9464` | [0,...,65535] |");
  }
}
