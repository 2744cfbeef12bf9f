package dev.vigil.rca.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.util.Map;
import java.util.TreeMap;

/** One anomalous service of an incident and its episodes. Mutable; owned by its incident. */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class Member {
  String service;
  long firstAnomalousAt;
  long lastAnomalousAt;
  TreeMap<String, Episode> episodes = new TreeMap<>();

  Member() {}

  Member(String service, long firstAnomalousAt) {
    this.service = service;
    this.firstAnomalousAt = firstAnomalousAt;
    this.lastAnomalousAt = firstAnomalousAt;
  }

  /** The service (or virtual node). */
  public String service() {
    return service;
  }

  /** Start of its earliest episode, epoch millis. */
  public long firstAnomalousAt() {
    return firstAnomalousAt;
  }

  /** Its latest anomaly event, epoch millis. */
  public long lastAnomalousAt() {
    return lastAnomalousAt;
  }

  /** When its latest episode started, epoch millis. */
  public long latestStart() {
    return episodes.values().stream().mapToLong(Episode::startedAt).max().orElse(firstAnomalousAt);
  }

  /** How far {@code at} is from the nearest start of one of its episodes, millis. */
  public long startGap(long at) {
    return episodes.values().stream()
        .mapToLong(e -> Math.abs(e.startedAt() - at))
        .min()
        .orElse(Math.abs(firstAnomalousAt - at));
  }

  /** Its episodes by id. */
  public Map<String, Episode> episodes() {
    return episodes;
  }

  /** Whether some episode is still going on at {@code now}. */
  public boolean anomalousAt(long now, long stale) {
    return episodes.values().stream().anyMatch(e -> !e.overAt(now, stale));
  }

  /** Since when the member has been healthy, or {@code Long.MAX_VALUE} while it is anomalous. */
  public long healthySince(long now, long stale) {
    return anomalousAt(now, stale) ? Long.MAX_VALUE : lastAnomalousAt;
  }

  /** The highest score of its episodes, in [0,1]. */
  public double maxScore() {
    return episodes.values().stream().mapToDouble(Episode::maxScore).max().orElse(0);
  }

  /** Its most anomalous episode, or null. */
  public Episode worst() {
    Episode worst = null;
    for (Episode e : episodes.values()) {
      if (worst == null || e.maxScore() > worst.maxScore()) {
        worst = e;
      }
    }
    return worst;
  }
}
