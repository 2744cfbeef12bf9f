package dev.vigil.enrichment.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.ServiceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void readsYaml() throws Exception {
    List<ServiceInfo> services =
        CatalogFile.read(
            file(
                "catalog.yaml",
                """
                services:
                  - service: checkout
                    team: shop
                    tier: 1
                    domain: commerce
                    businessCritical: true
                    runbookUrl: https://runbooks.example/checkout
                    slos:
                      - {name: availability, signal: span.errors, objective: 0.999}
                      - {name: latency, signal: span.duration, objective: 0.99, threshold: 300}
                    dependencies: [cart, payment]
                    labels: {pager: shop-oncall}
                  - service: search
                """));

    assertThat(services).hasSize(2);
    ServiceInfo checkout = services.get(0);
    assertThat(checkout.getTeam()).isEqualTo("shop");
    assertThat(checkout.getTier()).isEqualTo(1);
    assertThat(checkout.getBusinessCritical()).isTrue();
    assertThat(checkout.getSlos()).hasSize(2);
    assertThat(checkout.getSlos().get(1).getThreshold()).isEqualTo(300.0);
    assertThat(checkout.getDependencies()).containsExactly("cart", "payment");
    assertThat(checkout.getLabels()).isEqualTo(Map.of("pager", "shop-oncall"));
    ServiceInfo search = services.get(1);
    assertThat(search.getTier()).as("schema default").isEqualTo(3);
    assertThat(search.getTeam()).isNull();
  }

  @Test
  void readsAJsonList() throws Exception {
    List<ServiceInfo> services =
        CatalogFile.read(
            file("catalog.json", "[{\"service\": \"cart\", \"team\": \"shop\", \"tier\": 2}]"));

    assertThat(services).extracting(ServiceInfo::getService).containsExactly("cart");
    assertThat(services.get(0).getTier()).isEqualTo(2);
  }

  @Test
  void rejectsAnUnknownFieldNamingTheEntry() throws Exception {
    Path path = file("bad.yaml", "services:\n  - service: cart\n    teem: shop\n");

    assertThatThrownBy(() -> CatalogFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("services[0]")
        .hasMessageContaining("unknown field 'teem'");
  }

  @Test
  void rejectsATierOutOfRange() throws Exception {
    Path path = file("bad.yaml", "- service: cart\n  tier: 7\n");

    assertThatThrownBy(() -> CatalogFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(cart): tier must be 1, 2 or 3");
  }

  @Test
  void rejectsAServiceListedTwice() throws Exception {
    Path path = file("bad.yaml", "- service: cart\n- service: cart\n");

    assertThatThrownBy(() -> CatalogFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listed twice");
  }

  @Test
  void rejectsAnObjectiveAboveOne() throws Exception {
    Path path =
        file(
            "bad.yaml",
            "- service: cart\n  slos: [{name: a, signal: span.errors, objective: 99.9}]\n");

    assertThatThrownBy(() -> CatalogFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("objective must be a number in (0, 1]");
  }
}
