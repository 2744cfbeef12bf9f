package dev.vigil.rca.internal;

import dev.vigil.schemas.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Recent changes per service (deploys, config, flags), kept for the look-back of the ranking. */
public final class ChangeLog {
  private final Map<String, List<Change>> byService = new TreeMap<>();

  /** Records a change. */
  public void add(ChangeEvent event) {
    Change change =
        new Change(
            event.getService(),
            event.getType().name(),
            event.getAt().toEpochMilli(),
            event.getVersion(),
            event.getDescription());
    List<Change> list = byService.computeIfAbsent(event.getService(), k -> new ArrayList<>());
    if (!list.contains(change)) {
      list.add(change);
      list.sort((a, b) -> Long.compare(a.at(), b.at()));
    }
  }

  /** Replaces a service's changes (restoring state). */
  public void put(String service, List<Change> changes) {
    byService.put(service, new ArrayList<>(changes));
  }

  /** Changes of a service, oldest first. */
  public List<Change> of(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** Services with changes. */
  public Set<String> services() {
    return byService.keySet();
  }

  /** Forgets changes before {@code cutoff}; returns the services whose list changed. */
  public List<String> expire(long cutoff) {
    List<String> touched = new ArrayList<>();
    for (String service : List.copyOf(byService.keySet())) {
      List<Change> list = byService.get(service);
      if (list.removeIf(c -> c.at() < cutoff)) {
        touched.add(service);
      }
      if (list.isEmpty()) {
        byService.remove(service);
      }
    }
    return touched;
  }

  /**
   * One change, as the ranking uses it.
   *
   * @param service changed service
   * @param type DEPLOY, ROLLBACK, CONFIG, FEATURE_FLAG, SCALING or OTHER
   * @param at when, epoch millis
   * @param version new version, or null
   * @param description free text, or null
   */
  public record Change(String service, String type, long at, String version, String description) {}
}
