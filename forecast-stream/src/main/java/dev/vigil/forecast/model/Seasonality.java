package dev.vigil.forecast.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The seasonal layout of a series: its step, its seasonal periods in steps, and how many steps
 * share one seasonal slot. A period longer than {@value #MAX_SLOTS} steps is kept in {@value
 * #MAX_SLOTS} slots of several steps each (a daily season of 1-minute data in 288 slots of 5
 * minutes), which bounds the state of a series whatever its resolution.
 *
 * @param stepMillis sampling step of the series
 * @param periods seasonal periods in steps, ascending; empty for none
 * @param slotWidth steps per seasonal slot (also per bucket of the warm-up window)
 */
public record Seasonality(long stepMillis, int[] periods, int slotWidth) {
  /** Most slots one seasonal period is kept in: {@value}. */
  public static final int MAX_SLOTS = 288;

  /** Longest period {@link #forStep} picks by itself, in steps: {@value}. */
  public static final int MAX_AUTO_PERIOD = 1440;

  /** Buckets of the warm-up window of a series without a season: {@value}. */
  static final int NON_SEASONAL_WARMUP_BUCKETS = 30;

  private static final long DAY = 86_400_000L;
  private static final long WEEK = 7 * DAY;

  /** Checks the layout. */
  public Seasonality {
    if (stepMillis < 1) {
      throw new IllegalArgumentException("stepMillis must be >= 1, got " + stepMillis);
    }
    periods = periods.clone();
    Arrays.sort(periods);
    for (int p : periods) {
      if (p < 2) {
        throw new IllegalArgumentException("a seasonal period must be >= 2 steps, got " + p);
      }
    }
    if (periods.length > 2) {
      throw new IllegalArgumentException("at most two seasonal periods, got " + periods.length);
    }
    if (slotWidth < 1) {
      throw new IllegalArgumentException("slotWidth must be >= 1, got " + slotWidth);
    }
  }

  /** A layout with the given periods (in steps) and the slot width they need. */
  public static Seasonality of(long stepMillis, int... periods) {
    int longest = Arrays.stream(periods).max().orElse(0);
    int width = Math.max(1, (longest + MAX_SLOTS - 1) / MAX_SLOTS);
    return new Seasonality(stepMillis, periods, width);
  }

  /**
   * The periods that fit a step, as {@code vigil replay forecast} chooses them: a day and a week,
   * each when it is a whole number of at least 2 and at most {@value #MAX_AUTO_PERIOD} steps (1440
   * for 1-minute data; 24 and 168 for hourly data; 7 for daily data).
   */
  public static Seasonality forStep(long stepMillis) {
    List<Integer> periods = new ArrayList<>();
    for (long season : new long[] {DAY, WEEK}) {
      if (season % stepMillis == 0) {
        long p = season / stepMillis;
        if (p >= 2 && p <= MAX_AUTO_PERIOD) {
          periods.add((int) p);
        }
      }
    }
    return of(stepMillis, periods.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The same step without its longest period. */
  public Seasonality withoutLongest() {
    return of(stepMillis, Arrays.copyOf(periods, Math.max(0, periods.length - 1)));
  }

  /** Slots of period {@code i}. */
  int slots(int i) {
    return (periods[i] + slotWidth - 1) / slotWidth;
  }

  /** The slot of period {@code i} that the step at {@code stepIndex} (time / step) falls in. */
  int slot(int i, long stepIndex) {
    return (int) (Math.floorMod(stepIndex, (long) periods[i]) / slotWidth);
  }

  /** Buckets of {@link #slotWidth} steps in the warm-up window: two of the longest period. */
  int warmupBuckets() {
    return periods.length == 0 ? NON_SEASONAL_WARMUP_BUCKETS : 2 * slots(periods.length - 1);
  }

  /** Steps of data a series needs before it forecasts. */
  public long warmupSteps() {
    return (long) warmupBuckets() * slotWidth;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Seasonality s
        && s.stepMillis == stepMillis
        && s.slotWidth == slotWidth
        && Arrays.equals(s.periods, periods);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(stepMillis) * 31 + Arrays.hashCode(periods) * 7 + slotWidth;
  }

  @Override
  public String toString() {
    return "Seasonality[step "
        + stepMillis
        + " ms, periods "
        + Arrays.toString(periods)
        + " steps, "
        + slotWidth
        + " steps per slot]";
  }
}
