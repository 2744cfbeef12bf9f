package dev.vigil.chaos;

import dev.vigil.deploy.replay.OtlpReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay of the chain published, read with {@code isolation.level=read_committed}: anomaly
 * events, incident versions and alerts, one JSON line per record, in topic order.
 */
record ChainOutput(List<String> anomalies, List<String> incidents, List<String> alerts) {

  /** Output files of a replay into {@code dir}. */
  static OtlpReplay.Outputs files(Path dir) {
    return new OtlpReplay.Outputs(
        dir.resolve("incidents.jsonl"),
        dir.resolve("anomalies.jsonl"),
        dir.resolve("alerts.jsonl"));
  }

  /** Reads what {@link #files} wrote. */
  static ChainOutput read(Path dir) throws IOException {
    OtlpReplay.Outputs files = files(dir);
    return new ChainOutput(
        Files.readAllLines(files.anomalies()),
        Files.readAllLines(files.incidents()),
        Files.readAllLines(files.alerts()));
  }

  /** Records published. */
  int records() {
    return anomalies.size() + incidents.size() + alerts.size();
  }

  /** Records of {@code expected} that this output lacks, compared by content (a multiset). */
  int lostFrom(ChainOutput expected) {
    return missing(expected.anomalies, anomalies)
        + missing(expected.incidents, incidents)
        + missing(expected.alerts, alerts);
  }

  /** Records this output has beyond {@code expected} (repeats or new ones), by content. */
  int duplicatedFrom(ChainOutput expected) {
    return missing(anomalies, expected.anomalies)
        + missing(incidents, expected.incidents)
        + missing(alerts, expected.alerts);
  }

  /** The records of {@code expected} this output lacks, then those it has beyond them. */
  String differences(ChainOutput expected) {
    List<String> lost = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    unmatched(expected.anomalies, anomalies, lost);
    unmatched(expected.incidents, incidents, lost);
    unmatched(expected.alerts, alerts, lost);
    unmatched(anomalies, expected.anomalies, extra);
    unmatched(incidents, expected.incidents, extra);
    unmatched(alerts, expected.alerts, extra);
    return "lost: " + lost + "\nbeyond the baseline: " + extra;
  }

  private static void unmatched(List<String> wanted, List<String> have, List<String> out) {
    Map<String, Integer> left = new HashMap<>();
    have.forEach(line -> left.merge(line, 1, Integer::sum));
    for (String line : wanted) {
      Integer n = left.get(line);
      if (n == null || n == 0) {
        out.add(line);
      } else {
        left.put(line, n - 1);
      }
    }
  }

  /** How many of {@code wanted} are not matched one-to-one by a line of {@code have}. */
  private static int missing(List<String> wanted, List<String> have) {
    Map<String, Integer> left = new HashMap<>();
    have.forEach(line -> left.merge(line, 1, Integer::sum));
    int missing = 0;
    for (String line : wanted) {
      Integer n = left.get(line);
      if (n == null || n == 0) {
        missing++;
      } else {
        left.put(line, n - 1);
      }
    }
    return missing;
  }
}
