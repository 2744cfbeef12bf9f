package dev.vigil.sinks.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The identity of one Prometheus series: its name and labels, sorted by label name as remote-write
 * requires ({@code __name__} sorts first).
 *
 * @param name the metric name
 * @param labels label name → value, sorted; no empty values (Prometheus drops those)
 */
public record SeriesId(String name, Map<String, String> labels) {
  /** Copies the labels, sorted, leaving out empty values. */
  public SeriesId {
    Objects.requireNonNull(name, "name");
    TreeMap<String, String> sorted = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            sorted.put(k, v);
          }
        });
    labels = Collections.unmodifiableMap(sorted);
  }

  /** {@code name{a="1",b="2"}}, for logs and tests. */
  @Override
  public String toString() {
    List<String> pairs = new ArrayList<>();
    labels.forEach((k, v) -> pairs.add(k + "=\"" + v + "\""));
    return name + "{" + String.join(",", pairs) + "}";
  }
}
