package dev.vigil.sinks.alertmanager;

import dev.vigil.schemas.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts a task keeps firing, by fingerprint, and what to post when a record arrives.
 *
 * <p>Alertmanager forgets a firing alert when its {@code endsAt} passes, so a firing alert is
 * posted with {@code endsAt = now + endsAfter} and re-posted (see {@link #firing}) more often than
 * that. A record with {@code endsAt} set resolves it. rca-stream may change an alert's labels (its
 * {@code service}) under the same fingerprint; Alertmanager would see a second alert, so the old
 * label set is resolved in the same post. A tombstone resolves what the fingerprint had.
 *
 * <p>Not thread-safe: the task guards it.
 */
final class AlertBook {
  private final Duration endsAfter;
  private final Map<String, Alert> firing = new HashMap<>();

  /** What {@link #apply} decided. */
  record Update(
      List<AmAlert> toPost, boolean resolvedOldLabels, boolean skippedExpiredResolution) {}

  AlertBook(Duration endsAfter) {
    this.endsAfter = endsAfter;
  }

  /**
   * Records the newest state of one fingerprint and returns the alerts to post for it.
   *
   * @param alert the new state; null for a tombstone
   */
  Update apply(String fingerprint, Alert alert, Instant now) {
    Alert previous = firing.remove(fingerprint);
    List<AmAlert> toPost = new ArrayList<>(2);
    boolean labelsChanged =
        previous != null && (alert == null || !previous.getLabels().equals(alert.getLabels()));
    if (labelsChanged) {
      toPost.add(toAm(previous, now));
    }
    if (alert == null) {
      return new Update(toPost, false, false);
    }
    if (alert.getEndsAt() == null) {
      firing.put(fingerprint, alert);
      toPost.add(toAm(alert, now.plus(endsAfter)));
      return new Update(toPost, labelsChanged, false);
    }
    // A resolution older than endsAfter needs no post: the last firing post has lapsed by now,
    // so Alertmanager has resolved it already (this skips old resolutions on a replay).
    if (previous == null && alert.getEndsAt().isBefore(now.minus(endsAfter))) {
      return new Update(toPost, labelsChanged, true);
    }
    toPost.add(toAm(alert, alert.getEndsAt()));
    return new Update(toPost, labelsChanged, false);
  }

  /** Every firing alert with {@code endsAt = now + endsAfter}, to re-post. */
  List<AmAlert> firing(Instant now) {
    List<AmAlert> out = new ArrayList<>(firing.size());
    for (Alert alert : firing.values()) {
      out.add(toAm(alert, now.plus(endsAfter)));
    }
    return out;
  }

  /** Number of firing alerts. */
  int size() {
    return firing.size();
  }

  /** Forgets everything (partitions revoked: another task owns them now). */
  void clear() {
    firing.clear();
  }

  private static AmAlert toAm(Alert alert, Instant endsAt) {
    Instant startsAt = alert.getStartsAt();
    return new AmAlert(
        alert.getLabels(),
        alert.getAnnotations(),
        startsAt,
        endsAt.isBefore(startsAt) ? startsAt : endsAt,
        alert.getGeneratorURL() == null ? "" : alert.getGeneratorURL());
  }
}
