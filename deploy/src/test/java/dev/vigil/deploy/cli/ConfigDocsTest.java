package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.config.ConfigReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

  @Test
  void documentedReferenceMatchesEverySettingOfTheBuild() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "configuration.md"));

    assertThat(docs)
        .as("docs/configuration.md is stale: regenerate its table with 'vigil config'")
        .endsWith(ConfigReference.markdown(VigilApps.definition()));
  }
}
