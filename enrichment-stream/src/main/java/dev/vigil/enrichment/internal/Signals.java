package dev.vigil.enrichment.internal;

import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;

/** Turns emitted aggregates into {@code vigil.signals.1m} records: names and types per source. */
public final class Signals {
  /** Span latency of one operation: count = calls, sum/min/max/pXX/trimmedMean = duration in ms. */
  public static final String SPAN_DURATION = "span.duration";

  /** Span traffic of one operation: count = sum = calls, rate = calls/s. */
  public static final String SPAN_CALLS = "span.calls";

  /** Span errors of one operation: count = calls, sum = errors = failed calls, rate = errors/s. */
  public static final String SPAN_ERRORS = "span.errors";

  /** Log records with severity ERROR or worse, per service. */
  public static final String LOG_ERRORS = "log.errors";

  /** Log records with severity WARN (below ERROR), per service. */
  public static final String LOG_WARNINGS = "log.warnings";

  private static final Set<String> TIME_UNITS = Set.of("ns", "us", "ms", "s", "min", "h");

  private Signals() {}

  /**
   * The signal records of one emitted aggregate (three for spans, one otherwise), with {@code
   * revision} (0: first emission, 1: revision at the end of the grace).
   */
  public static List<KeyValue<SeriesKey, SignalWindow>> of(
      long start, long end, String id, Aggregate a, int revision) {
    double seconds = (end - start) / 1000.0;
    List<KeyValue<SeriesKey, SignalWindow>> out = new ArrayList<>(3);
    SignalWindow.Builder w =
        SignalWindow.newBuilder()
            .setWindowStart(Instant.ofEpochMilli(start))
            .setWindowEnd(Instant.ofEpochMilli(end))
            .setUnit(a.unit())
            .setCount(a.count())
            .setSum(a.sum())
            .setRevision(revision);
    switch (a.kind()) {
      case GAUGE -> {
        w.setType(SignalType.GAUGE).setMin(nan(a.min())).setMax(nan(a.max()));
        w.setLast(nan(a.last()));
        out.add(KeyValue.pair(SeriesIds.seriesKey(id, null), w.build()));
      }
      case COUNTER -> {
        w.setType(SignalType.COUNTER).setRate(a.sum() / seconds);
        out.add(KeyValue.pair(SeriesIds.seriesKey(id, null), w.build()));
      }
      case HISTOGRAM, SUMMARY -> {
        w.setType(isTime(a.unit()) ? SignalType.LATENCY : SignalType.OTHER);
        w.setMin(nan(a.min())).setMax(nan(a.max())).setRate(a.count() / seconds);
        quantiles(w, a);
        out.add(KeyValue.pair(SeriesIds.seriesKey(id, null), w.build()));
      }
      case SPAN -> {
        w.setType(SignalType.LATENCY).setUnit("ms").setMin(nan(a.min())).setMax(nan(a.max()));
        w.setRate(a.count() / seconds).setErrors(a.errors());
        quantiles(w, a);
        out.add(KeyValue.pair(SeriesIds.seriesKey(id, SPAN_DURATION), w.build()));
        out.add(
            KeyValue.pair(
                SeriesIds.seriesKey(id, SPAN_CALLS),
                base(start, end, "1", a.count(), revision)
                    .setType(SignalType.TRAFFIC)
                    .setSum(a.count())
                    .setRate(a.count() / seconds)
                    .setErrors(a.errors())
                    .build()));
        out.add(
            KeyValue.pair(
                SeriesIds.seriesKey(id, SPAN_ERRORS),
                base(start, end, "1", a.count(), revision)
                    .setType(SignalType.ERRORS)
                    .setSum(a.errors())
                    .setRate(a.errors() / seconds)
                    .setErrors(a.errors())
                    .build()));
      }
      case LOG_ERRORS, LOG_WARNINGS -> {
        long n = a.matched();
        out.add(
            KeyValue.pair(
                SeriesIds.seriesKey(id, null),
                base(start, end, "1", n, revision)
                    .setType(SignalType.LOG_ERRORS)
                    .setSum(n)
                    .setErrors(n)
                    .setRate(n / seconds)
                    .build()));
      }
      case OVERFLOW, EDGE -> {
        w.setType(SignalType.OTHER).setSum(0).setUnit(null);
        out.add(KeyValue.pair(SeriesIds.seriesKey(id, null), w.build()));
      }
      default -> throw new IllegalStateException("unknown aggregate kind " + a.kind());
    }
    return out;
  }

  private static SignalWindow.Builder base(
      long start, long end, String unit, long count, int revision) {
    return SignalWindow.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(end))
        .setUnit(unit)
        .setCount(count)
        .setRevision(revision);
  }

  private static void quantiles(SignalWindow.Builder w, Aggregate a) {
    w.setP50(nan(a.quantile(0.5)));
    w.setP90(nan(a.quantile(0.9)));
    w.setP95(nan(a.quantile(0.95)));
    w.setP99(nan(a.quantile(0.99)));
    w.setTrimmedMean(nan(a.trimmedMean(0.95)));
  }

  static boolean isTime(String unit) {
    return unit != null && TIME_UNITS.contains(unit);
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
