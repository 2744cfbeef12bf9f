package dev.vigil.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

  @Test
  void rendersOneRowPerKeyWithEnvironmentName() {
    String table = ConfigReference.markdown(CoreConfig.definition());

    assertThat(table.lines()).hasSize(2 + CoreConfig.definition().names().size());
    assertThat(table)
        .contains("| `management.port` | `VIGIL_MANAGEMENT_PORT` | int | `9464` | [0,...,65535] |");
  }
}
