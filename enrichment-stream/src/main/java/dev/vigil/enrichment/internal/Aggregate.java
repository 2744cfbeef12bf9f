package dev.vigil.enrichment.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * What one series has accumulated in one open window, with a compact binary codec for the state
 * store. Mutable; owned by one processor.
 *
 * <p>Quantiles come from a DDSketch (relative-error guarantee, mergeable, bounded to {@value
 * #MAX_BINS} bins per sign); count, sum, min and max are tracked exactly beside it.
 */
public final class Aggregate {
  /** Bins per sign of a sketch: bounds its memory (lowest bins collapse beyond it). */
  public static final int MAX_BINS = 2_048;

  private static final int VERSION = 1;
  private static final byte FLAG_BUCKETED = 1;

  /** What the series is, which decides how it is folded and emitted. */
  public enum Kind {
    GAUGE,
    COUNTER,
    HISTOGRAM,
    SUMMARY,
    SPAN,
    LOG_ERRORS,
    LOG_WARNINGS,
    EDGE,
    OVERFLOW
  }

  private final Kind kind;
  private final double accuracy;
  private String unit;
  private long count;
  private double sum;
  private double min = Double.NaN;
  private double max = Double.NaN;
  private double last = Double.NaN;
  private long lastTime = Long.MIN_VALUE;
  private long errors;
  private long matched;
  private byte nodeKind;
  private boolean bucketed;
  private double[] quantiles;
  private DDSketch sketch;

  /** An empty aggregate of {@code kind}; {@code accuracy} is the sketches' relative accuracy. */
  public Aggregate(Kind kind, String unit, double accuracy) {
    this.kind = kind;
    this.unit = unit;
    this.accuracy = accuracy;
  }

  /** A gauge reading (also non-monotonic sums): count, sum, min, max and the latest value. */
  public void addGauge(double value, long timeMs) {
    count++;
    if (kind == Kind.OVERFLOW) {
      return;
    }
    sum += value;
    minMax(value);
    if (timeMs >= lastTime) {
      lastTime = timeMs;
      last = value;
    }
  }

  /** One data point of a monotonic counter with its increase since the previous point. */
  public void addCounter(double delta) {
    count++;
    if (kind == Kind.OVERFLOW) {
      return;
    }
    sum += delta;
  }

  /**
   * Observations of a distribution (histogram buckets, span durations): {@code weight} values near
   * {@code value} go into the sketch.
   */
  public void addObservations(double value, long weight) {
    if (weight <= 0) {
      return;
    }
    if (kind == Kind.OVERFLOW) {
      return;
    }
    observe(value, weight);
  }

  /** Sub-intervals a histogram bucket's observations are spread over (see {@link #addSpread}). */
  static final int SPREAD_STEPS = 16;

  /**
   * {@code weight} observations of which only the interval {@code [lower, upper]} is known (an
   * explicit histogram bucket), spread evenly over it, as Prometheus' {@code histogram_quantile}
   * assumes. Placing them all at the midpoint would make every quantile inside a bucket sit still
   * from window to window and then jump by the bucket's width when it crosses a bound: a detector
   * learns no spread from the first and takes the second for an anomaly (a fault-free 500-service
   * simulation: 963 false episodes in 250 minutes at the midpoint, 99 spread; perf {@code
   * HistogramQuantileNoise}). The evenly spaced points cost at most {@value #SPREAD_STEPS} sketch
   * updates per bucket and resolve a quantile to a sixteenth of the bucket.
   */
  public void addSpread(double lower, double upper, long weight) {
    if (weight <= 0 || kind == Kind.OVERFLOW) {
      return;
    }
    bucketed = true;
    if (!(upper > lower)) {
      observe(lower, weight);
      return;
    }
    int steps = (int) Math.min(weight, SPREAD_STEPS);
    double width = (upper - lower) / steps;
    for (int j = 0; j < steps; j++) {
      long share = weight / steps + (j < weight % steps ? 1 : 0);
      observe(lower + (j + 0.5) * width, share);
    }
  }

  /** Count and sum of a distribution point, with its exact min and max when known. */
  public void addDistribution(long n, double total, double pointMin, double pointMax) {
    if (kind == Kind.OVERFLOW) {
      count++;
      return;
    }
    count += n;
    sum += total;
    if (!Double.isNaN(pointMin)) {
      minMax(pointMin);
    }
    if (!Double.isNaN(pointMax)) {
      minMax(pointMax);
    }
  }

  /** The latest quantiles of a summary (p50, p90, p95, p99; NaN where not given). */
  public void setQuantiles(double[] values, long timeMs) {
    if (kind == Kind.OVERFLOW || timeMs < lastTime) {
      return;
    }
    lastTime = timeMs;
    quantiles = values.clone();
  }

  /** One span: its duration in ms and whether it failed. */
  public void addCall(double durationMs, boolean failed) {
    count++;
    if (kind == Kind.OVERFLOW) {
      return;
    }
    sum += durationMs;
    minMax(durationMs);
    if (failed) {
      errors++;
    }
    observe(durationMs, 1);
  }

  /**
   * Puts values into the sketch, those past the range it can index (±Infinity, ±Double.MAX_VALUE: a
   * bucket bound of Infinity, a huge exponential bucket) at its edge: the sketch would throw and
   * fail the whole batch (found by the raw-topic fuzzing). NaN has no place and is left out.
   */
  private void observe(double value, long weight) {
    if (Double.isNaN(value)) {
      return;
    }
    DDSketch sketch = sketch();
    double max = sketch.getIndexMapping().maxIndexableValue();
    sketch.accept(Math.max(-max, Math.min(max, value)), weight);
  }

  /** One log record; {@code matches} tells whether its severity counts for this signal. */
  public void addLog(boolean matches) {
    if (kind == Kind.OVERFLOW) {
      count++;
      return;
    }
    count++;
    if (matches) {
      matched++;
    }
  }

  /** Records what the server side of an edge is ({@code NodeKind} ordinal). */
  public void nodeKind(int ordinal) {
    nodeKind = (byte) ordinal;
  }

  private void minMax(double value) {
    if (Double.isNaN(min) || value < min) {
      min = value;
    }
    if (Double.isNaN(max) || value > max) {
      max = value;
    }
  }

  private DDSketch sketch() {
    if (sketch == null) {
      sketch = DDSketches.collapsingLowestDense(accuracy, MAX_BINS);
    }
    return sketch;
  }

  public Kind kind() {
    return kind;
  }

  public String unit() {
    return unit;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  /** Smallest value, NaN if none. */
  public double min() {
    return min;
  }

  /** Largest value, NaN if none. */
  public double max() {
    return max;
  }

  /** Latest gauge value, NaN if none. */
  public double last() {
    return last;
  }

  public long errors() {
    return errors;
  }

  /** Log records whose severity matched. */
  public long matched() {
    return matched;
  }

  public int nodeKind() {
    return nodeKind;
  }

  /** The value at quantile {@code q} (0..1), NaN when nothing was observed. */
  public double quantile(double q) {
    if (quantiles != null) {
      int i = q <= 0.5 ? 0 : q <= 0.9 ? 1 : q <= 0.95 ? 2 : 3;
      return quantiles[i];
    }
    if (sketch == null || sketch.isEmpty()) {
      return Double.NaN;
    }
    return withinBounds(sketch.getValueAtQuantile(q));
  }

  /**
   * A value derived from the sketch's bins, never beyond the exact bounds: a bin's representative
   * value may lie a little outside them.
   */
  private double withinBounds(double value) {
    if (!Double.isNaN(min) && value < min) {
      return min;
    }
    if (!Double.isNaN(max) && value > max) {
      return max;
    }
    return value;
  }

  /**
   * The mean of the sketched values up to quantile {@code q}: the values at ranks 0 to {@code
   * q·(n−1)}, the ranks {@link #quantile} answers from, the last bin weighted by the fraction that
   * falls inside. NaN without a sketch (a summary's quantiles, a histogram without buckets). A few
   * outliers move the plain mean ({@code sum / count}) a long way; they do not move this one, which
   * still follows the whole body of the distribution where a quantile follows one rank.
   *
   * <p>It never keeps the slowest value (at most {@code n − 1} of {@code n}): below 21 values the
   * p95's rank reaches into the slowest one, and a single 30 s timeout among a quiet service's ten
   * calls would otherwise carry the mean with it, as it carries the p95.
   *
   * <p>NaN as well once explicit histogram buckets went in ({@link #addSpread}): where values sit
   * inside a bucket is assumed, not known, so such a mean mostly tells how the counts split between
   * neighbouring buckets. Its minute-to-minute spread is then an artefact of the bounds (flat while
   * every call is in one bucket, a jump when a few move to the next), and on a fault-free
   * 500-service platform it started false latency episodes where spans' exact durations started
   * none.
   */
  public double trimmedMean(double q) {
    if (quantiles != null || bucketed || sketch == null || sketch.isEmpty()) {
      return Double.NaN;
    }
    double n = sketch.getCount();
    double keep = Math.min(q * (n - 1) + 1, Math.max(1, n - 1));
    double[] acc = new double[2]; // weight taken, weighted sum
    var mapping = sketch.getIndexMapping();
    Iterator<Bin> negative = sketch.getNegativeValueStore().getDescendingIterator();
    while (negative.hasNext() && acc[0] < keep) {
      Bin bin = negative.next();
      take(acc, -mapping.value(bin.getIndex()), bin.getCount(), keep);
    }
    take(
        acc,
        0,
        sketch.getCount()
            - sketch.getNegativeValueStore().getTotalCount()
            - sketch.getPositiveValueStore().getTotalCount(),
        keep);
    Iterator<Bin> positive = sketch.getPositiveValueStore().getAscendingIterator();
    while (positive.hasNext() && acc[0] < keep) {
      Bin bin = positive.next();
      take(acc, mapping.value(bin.getIndex()), bin.getCount(), keep);
    }
    return withinBounds(acc[1] / acc[0]);
  }

  private static void take(double[] acc, double value, double count, double keep) {
    double w = Math.min(count, keep - acc[0]);
    if (w > 0) {
      acc[0] += w;
      acc[1] += w * value;
    }
  }

  /** Encodes the aggregate for the state store. */
  public byte[] encode() {
    byte[] unitBytes = unit == null ? null : unit.getBytes(StandardCharsets.UTF_8);
    byte[] sketchBytes = null;
    if (sketch != null && !sketch.isEmpty()) {
      GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
      try {
        sketch.encode(out, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode sketch", e);
      }
      sketchBytes = out.trimmedCopy();
    }
    int size =
        3
            + 8 * 8
            + 1
            + 2
            + (unitBytes == null ? 0 : unitBytes.length)
            + 1
            + (quantiles == null ? 0 : 8 * quantiles.length)
            + 4
            + (sketchBytes == null ? 0 : sketchBytes.length);
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put((byte) VERSION).put((byte) kind.ordinal()).put(nodeKind);
    buf.putLong(count).putDouble(sum).putDouble(min).putDouble(max).putDouble(last);
    buf.putLong(lastTime).putLong(errors).putLong(matched);
    buf.put(bucketed ? FLAG_BUCKETED : 0); // flags; 0 in states written before 2026-12-06
    if (unitBytes == null) {
      buf.putShort((short) -1);
    } else {
      buf.putShort((short) unitBytes.length).put(unitBytes);
    }
    if (quantiles == null) {
      buf.put((byte) 0);
    } else {
      buf.put((byte) quantiles.length);
      for (double q : quantiles) {
        buf.putDouble(q);
      }
    }
    if (sketchBytes == null) {
      buf.putInt(0);
    } else {
      buf.putInt(sketchBytes.length).put(sketchBytes);
    }
    return buf.array();
  }

  /**
   * Decodes an aggregate written by {@link #encode()}.
   *
   * @throws IllegalStateException if the bytes are not an aggregate
   */
  public static Aggregate decode(byte[] bytes, double accuracy) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int version = buf.get();
    if (version != VERSION) {
      throw new IllegalStateException("unknown aggregate version " + version);
    }
    Aggregate a = new Aggregate(Kind.values()[buf.get()], null, accuracy);
    a.nodeKind = buf.get();
    a.count = buf.getLong();
    a.sum = buf.getDouble();
    a.min = buf.getDouble();
    a.max = buf.getDouble();
    a.last = buf.getDouble();
    a.lastTime = buf.getLong();
    a.errors = buf.getLong();
    a.matched = buf.getLong();
    a.bucketed = (buf.get() & FLAG_BUCKETED) != 0;
    short unitLength = buf.getShort();
    if (unitLength >= 0) {
      byte[] unitBytes = new byte[unitLength];
      buf.get(unitBytes);
      a.unit = new String(unitBytes, StandardCharsets.UTF_8);
    }
    int quantileCount = buf.get();
    if (quantileCount > 0) {
      a.quantiles = new double[quantileCount];
      for (int i = 0; i < quantileCount; i++) {
        a.quantiles[i] = buf.getDouble();
      }
    }
    int sketchLength = buf.getInt();
    if (sketchLength > 0) {
      try {
        a.sketch =
            DDSketch.decode(
                ByteArrayInput.wrap(bytes, buf.position(), sketchLength),
                () -> new CollapsingLowestDenseStore(MAX_BINS));
      } catch (IOException e) {
        throw new IllegalStateException("corrupt sketch in aggregate", e);
      }
    }
    return a;
  }
}
