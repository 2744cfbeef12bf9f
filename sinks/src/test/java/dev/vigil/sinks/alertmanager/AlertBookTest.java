package dev.vigil.sinks.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertBookTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration ENDS_AFTER = Duration.ofMinutes(5);
  private final AlertBook book = new AlertBook(ENDS_AFTER);

  private static Alert alert(String service, Instant endsAt) {
    return Alert.newBuilder()
        .setLabels(Map.of("alertname", "HighLatency", "service", service))
        .setAnnotations(Map.of("summary", "p99 up"))
        .setStartsAt(NOW.minusSeconds(60))
        .setEndsAt(endsAt)
        .setFingerprint("fp")
        .build();
  }

  @Test
  void firingAlertIsPostedWithEndsAtAheadAndKeptForResending() {
    AlertBook.Update update = book.apply("fp", alert("cart", null), NOW);

    assertThat(update.toPost())
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(NOW.plus(ENDS_AFTER)));
    assertThat(book.firing(NOW.plusSeconds(60)))
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(NOW.plusSeconds(60).plus(ENDS_AFTER)));
  }

  @Test
  void resolutionIsPostedOnceAndStopsResending() {
    book.apply("fp", alert("cart", null), NOW);
    AlertBook.Update update = book.apply("fp", alert("cart", NOW), NOW);

    assertThat(update.toPost())
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(NOW));
    assertThat(book.firing(NOW)).isEmpty();
  }

  @Test
  void changedLabelsResolveTheOldLabelSet() {
    book.apply("fp", alert("cart", null), NOW);
    AlertBook.Update update = book.apply("fp", alert("payments", null), NOW.plusSeconds(1));

    assertThat(update.resolvedOldLabels()).isTrue();
    assertThat(update.toPost()).hasSize(2);
    assertThat(update.toPost().get(0).labels()).containsEntry("service", "cart");
    assertThat(update.toPost().get(0).endsAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(update.toPost().get(1).labels()).containsEntry("service", "payments");
    assertThat(book.firing(NOW))
        .singleElement()
        .satisfies(a -> assertThat(a.labels()).containsEntry("service", "payments"));
  }

  @Test
  void tombstoneResolvesWhatWasFiring() {
    book.apply("fp", alert("cart", null), NOW);
    AlertBook.Update update = book.apply("fp", null, NOW);

    assertThat(update.toPost())
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(NOW));
    assertThat(book.size()).isZero();
  }

  @Test
  void oldResolutionOfAnUnknownAlertIsSkipped() {
    AlertBook.Update update = book.apply("fp", alert("cart", NOW.minus(Duration.ofHours(1))), NOW);

    assertThat(update.toPost()).isEmpty();
    assertThat(update.skippedExpiredResolution()).isTrue();
  }

  @Test
  void recentResolutionOfAnUnknownAlertIsPosted() {
    AlertBook.Update update = book.apply("fp", alert("cart", NOW.minusSeconds(30)), NOW);

    assertThat(update.toPost()).hasSize(1);
    assertThat(update.skippedExpiredResolution()).isFalse();
  }
}
