package dev.vigil.sinks.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SinksConfigDocsTest {
  private static final Path DOC = Path.of("..", "docs", "sinks-configuration.md");
  private static final Path GENERATED = Path.of("target", "sinks-configuration.md");

  @Test
  void referenceMatchesTheConnectorsConfigDefs() throws IOException {
    String expected = SinksConfigDocs.markdown();
    Files.writeString(GENERATED, expected, StandardCharsets.UTF_8);

    assertThat(Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "")
        .as(
            "docs/sinks-configuration.md is out of date; regenerate it with: "
                + "cp sinks/target/sinks-configuration.md docs/sinks-configuration.md")
        .isEqualTo(expected);
  }
}
