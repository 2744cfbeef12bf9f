package dev.vigil.bridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.runtime.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthTest {
  @TempDir Path dir;

  @Test
  void mapsBearerTokensFromFileAndInlineToTenants() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# team tokens\ns3cr3t-a = shop\n\n");
    TokenAuth auth = TokenAuth.load(Optional.of(file), "s3cr3t-b=payments", "f", "i");

    assertThat(auth.enabled()).isTrue();
    assertThat(auth.tenantOf("Bearer s3cr3t-a")).contains("shop");
    assertThat(auth.tenantOf("bearer s3cr3t-b")).contains("payments");
    assertThat(auth.tenantOf("Bearer wrong")).isEmpty();
    assertThat(auth.tenantOf("Basic czNjcjN0LWE=")).isEmpty();
    assertThat(auth.tenantOf(null)).isEmpty();
  }

  @Test
  void isOffWithoutTokens() {
    assertThat(TokenAuth.load(Optional.empty(), "", "f", "i").enabled()).isFalse();
  }

  @Test
  void rejectsMalformedEntryWithoutEchoingIt() {
    assertThatThrownBy(
            () -> TokenAuth.load(Optional.empty(), "only-a-token", "f", "bridge.auth.tokens"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("bridge.auth.tokens")
        .hasMessageContaining("expected token=tenant")
        .hasMessageNotContaining("only-a-token");
  }
}
