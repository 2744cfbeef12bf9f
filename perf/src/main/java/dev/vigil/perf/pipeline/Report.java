package dev.vigil.perf.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The run's figures as a small markdown document. */
final class Report {
  private Report() {}

  static String markdown(
      String machine,
      Ceiling.Result ceiling,
      SimulatedPlatform.Result platform,
      List<Ramp.Step> ramp,
      long heap,
      Map<String, Long> stateByStore) {
    StringBuilder md = new StringBuilder();
    md.append("# Vigil pipeline benchmark\n\n").append("Run: ").append(machine).append("\n\n");
    md.append("## Ramp: synthetic OTLP through the bridge and every app\n\n");
    md.append(
        "| target points/s | offered points/s | folded points/s | spans/s | log records/s |"
            + " items/s | lag start → end (records) | CPU s/s: process / Vigil / broker / JIT |"
            + " CPU s per 100k items | items per Vigil CPU-second | load |"
            + " ceiling right before (items/s) | share of it | stable |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Ramp.Step s : ramp) {
      md.append(
          String.format(
              "| %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,d → %,d | %.2f / %.2f / %.2f /"
                  + " %.2f | %.2f | %,.0f | %.1f | %,.0f | %.1f%% | %s |%n",
              s.target(),
              s.offeredPoints(),
              s.foldedPoints(),
              s.foldedSpans(),
              s.foldedLogs(),
              s.foldedItems(),
              s.lagStart(),
              s.lagEnd(),
              s.cpuPerSecond(),
              s.vigilCpuPerSecond(),
              s.brokerCpuPerSecond(),
              s.jitPerSecond(),
              s.cpuPer100k(),
              s.itemsPerVigilCpuSecond(),
              s.loadAverage(),
              s.ceilingItems(),
              100 * s.share(),
              s.stable() ? "yes" : "no (" + s.lagDetail() + ")"));
    }
    Ramp.Step best =
        ramp.stream()
            .filter(Ramp.Step::stable)
            .max((a, b) -> Double.compare(a.foldedItems(), b.foldedItems()))
            .orElse(null);
    Ramp.Step peak =
        ramp.stream().max((a, b) -> Double.compare(a.foldedItems(), b.foldedItems())).orElse(null);
    md.append("\n## Summary\n\n| figure | value |\n|---|---|\n");
    md.append(
        String.format(
            "| raw Kafka ceiling (plain producer + consumer, same record bytes, same broker) |"
                + " %,.0f items/s (%.1f MB/s, %.0f B/item, %.2f CPU s/s) |%n",
            ceiling.itemsPerSecond(),
            ceiling.bytesPerSecond() / 1e6,
            ceiling.bytesPerItem(),
            ceiling.cpuPerSecond()));
    if (best != null) {
      md.append(
          String.format(
              "| sustained whole chain, stable lag | %,.0f items/s (%,.0f points/s, %,.0f spans/s,"
                  + " %,.0f log records/s) = %.1f%% of the ceiling |%n",
              best.foldedItems(),
              best.foldedPoints(),
              best.foldedSpans(),
              best.foldedLogs(),
              100 * best.foldedItems() / ceiling.itemsPerSecond()));
      if (!Double.isNaN(best.ceilingItems())) {
        double[] ceilings = ramp.stream().mapToDouble(Ramp.Step::ceilingItems).sorted().toArray();
        md.append(
            String.format(
                "| ... against the ceiling measured right before that step | %.1f%% of %,.0f"
                    + " items/s (the ceilings before the steps: %,.0f to %,.0f, median %,.0f) |%n",
                100 * best.share(),
                best.ceilingItems(),
                ceilings[0],
                ceilings[ceilings.length - 1],
                ceilings[ceilings.length / 2]));
      }
      md.append(
          String.format(
              "| per CPU-second (whole process: broker, bridge, apps, load generator) | %,.0f items |%n",
              best.foldedItems() / best.cpuPerSecond()));
      md.append(
          String.format(
              "| per CPU-second of Vigil's threads (bridge, apps, their clients, GC; not the broker"
                  + " nor the load generator) | %,.0f items (%.2f of %.2f CPU s/s; broker %.2f) |%n",
              best.itemsPerVigilCpuSecond(),
              best.vigilCpuPerSecond(),
              best.cpuPerSecond(),
              best.brokerCpuPerSecond()));
      md.append(
          String.format(
              "| ... of them, by part | %s |%n",
              ThreadCpu.describe(best.vigilCpuPerSecondByPart(), 2)));
      md.append(
          String.format(
              "| ... without the JIT compiler's threads (%.2f of the %.2f CPU s/s) | %,.0f items"
                  + " per process CPU-second, %,.0f per Vigil CPU-second |%n",
              best.jitPerSecond(),
              best.cpuPerSecond(),
              best.itemsPerCpuSecondWithoutJit(),
              best.itemsPerVigilCpuSecondWithoutJit()));
      md.append(
          String.format("| CPU per 100k items at that rate | %.2f CPU s |%n", best.cpuPer100k()));
    }
    if (peak != null) {
      md.append(
          String.format(
              "| peak folded (lag growing or not) | %,.0f items/s at target %,d points/s |%n",
              peak.foldedItems(), peak.target()));
    }
    md.append(String.format("| live heap at the end | %,.0f MB |%n", heap / 1e6));
    md.append(
        String.format(
            "| Streams state directory at the end | %,.0f MB: %s |%n",
            stateByStore.values().stream().mapToLong(Long::longValue).sum() / 1e6,
            stateByStore.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(4)
                .map(e -> String.format("%s %,.1f", e.getKey(), e.getValue() / 1e6))
                .collect(Collectors.joining(", ", "largest ", " MB"))));
    if (platform != null) {
      md.append("\n## Simulated platform in real time\n\n| figure | value |\n|---|---|\n");
      md.append(String.format("| services | %d |%n", platform.services()));
      md.append(
          String.format(
              "| telemetry rate | %,.0f points/s, %,.0f spans/s, %,.0f log records/s |%n",
              platform.pointsPerSecond(), platform.spansPerSecond(), platform.logsPerSecond()));
      md.append(
          String.format(
              "| active series (most distinct keys in one window of vigil.signals.1m) | %,d |%n",
              platform.activeSeries()));
      md.append(
          String.format(
              "| CPU | %.2f CPU s/s = %.2f CPU s per 100k items |%n",
              platform.cpuPerSecond(),
              platform.cpuPerSecond()
                  / (platform.pointsPerSecond()
                      + platform.spansPerSecond()
                      + platform.logsPerSecond())
                  * 100_000));
      md.append(
          String.format(
              "| ... of it by part | %s |%n",
              ThreadCpu.describe(platform.cpuPerSecondByPart(), 3)));
      md.append(
          String.format(
              "| live heap growth / per series | %,.0f MB / %,.0f B |%n",
              platform.heapGrowth() / 1e6,
              platform.heapGrowth() / (double) Math.max(1, platform.activeSeries())));
      md.append(
          String.format(
              "| state directory growth / per series | %,.0f MB / %,.0f B |%n",
              platform.stateGrowth() / 1e6,
              platform.stateGrowth() / (double) Math.max(1, platform.activeSeries())));
      md.append(
          String.format(
              "| of the points: extra per-route gauge series (SeriesFeeder) | %,d points |%n",
              platform.extraPoints()));
      md.append(String.format("| failed OTLP exports | %d |%n", platform.failedExports()));
      md.append(String.format("| real-time phase | %.0f s |%n", platform.seconds()));
      md.append(lagTrend(platform.lagSamples()));
      double[] seconds =
          platform.latencies().stream()
              .mapToDouble(SimulatedPlatform.Latency::seconds)
              .filter(d -> !Double.isNaN(d))
              .sorted()
              .toArray();
      double[] perAlert = platform.alertLatencies().seconds();
      if (perAlert.length > 0) {
        md.append(
            String.format(
                "| ingest-to-alert p50 / p99 / max: export of the first record of the window that"
                    + " raised a new alert → the alert (%d new alerts%s) | %.1f s / %.1f s / %.1f"
                    + " s |%n",
                perAlert.length,
                platform.alertLatencies().unmatched() > 0
                    ? ", " + platform.alertLatencies().unmatched() + " not matched to an incident"
                    : "",
                percentile(perAlert, 0.5),
                percentile(perAlert, 0.99),
                perAlert[perAlert.length - 1]));
      }
      if (seconds.length > 0) {
        md.append(
            String.format(
                "| fault injection → first alert naming it, p50 / p99 (%d of %d faults named) |"
                    + " %.0f s / %.0f s |%n",
                seconds.length,
                platform.latencies().size(),
                percentile(seconds, 0.5),
                percentile(seconds, 0.99)));
      }
      md.append(
          "\n| fault | injection → first alert naming the target | alert | alerts (any) after"
              + " injection |\n|---|---|---|---|\n");
      for (SimulatedPlatform.Latency l : platform.latencies()) {
        md.append(
            String.format(
                "| %s | %s | %s | %d |%n",
                l.fault(),
                Double.isNaN(l.seconds()) ? "none" : String.format("%.0f s", l.seconds()),
                Objects.toString(l.alert()).replace('|', '/'),
                l.alertsAfter()));
      }
      md.append("\nLag samples (s since real-time start: all apps / enrichment): ");
      platform
          .lagSamples()
          .forEach(s -> md.append(String.format("%d: %,d / %,d; ", s[0], s[1], s[2])));
      md.append("\n\nSeries per window: ").append(platform.seriesPerWindow().values()).append("\n");
    }
    return md.toString();
  }

  private static String lagTrend(List<long[]> samples) {
    if (samples.size() < 4) {
      return "";
    }
    int half = samples.size() / 2;
    double first = samples.subList(0, half).stream().mapToLong(s -> s[2]).average().orElse(0);
    double second =
        samples.subList(half, samples.size()).stream().mapToLong(s -> s[2]).average().orElse(0);
    return String.format(
        "| enrichment lag, mean of first / second half | %,.0f / %,.0f records (%s) |%n",
        first, second, second <= first * 1.2 + 500 ? "not growing" : "GROWING");
  }

  private static double percentile(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static String join(double[] values) {
    return Arrays.toString(values);
  }
}
