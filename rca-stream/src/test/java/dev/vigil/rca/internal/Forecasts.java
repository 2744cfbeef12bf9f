package dev.vigil.rca.internal;

import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Disk forecasts for predictive alert tests. */
public final class Forecasts {
  public static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  public static final SeriesKey DISK =
      new SeriesKey("inventory-db", "system.filesystem.utilization", List.of());

  /**
   * A 60-minute forecast from {@code origin} of a disk at {@code start} growing {@code slope} per
   * minute, 80% interval ±{@code half}, against a capacity limit of 0.95.
   */
  public static Forecast disk(Instant origin, double start, double slope, double half) {
    List<ForecastPoint> points = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      double mean = start + slope * i;
      points.add(new ForecastPoint(origin.plusSeconds(60L * i), mean, mean - half, mean + half));
    }
    return Forecast.newBuilder()
        .setOrigin(origin)
        .setStepMillis(60_000)
        .setPoints(points)
        .setModel("holt-winters")
        .setTrainedAt(T0.minusSeconds(86_400))
        .setMase(0.62)
        .setSignalType(SignalType.SATURATION)
        .setThreshold(0.95)
        .setThresholdSource("capacity")
        .setFallbackReason(null)
        .build();
  }

  private Forecasts() {}
}
