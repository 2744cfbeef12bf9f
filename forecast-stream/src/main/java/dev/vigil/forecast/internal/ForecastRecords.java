package dev.vigil.forecast.internal;

import dev.vigil.forecast.model.Prediction;
import dev.vigil.forecast.sagemaker.DeepArForecast;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SignalType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link Forecast} records from the embedded model's and SageMaker's answers. */
final class ForecastRecords {
  private ForecastRecords() {}

  /** A forecast of the embedded model. */
  static Forecast embedded(
      Prediction p, String model, long trainedAt, SignalType type, Threshold threshold) {
    List<ForecastPoint> points = new ArrayList<>(p.size());
    for (int i = 0; i < p.size(); i++) {
      points.add(
          new ForecastPoint(
              Instant.ofEpochMilli(p.timestamp(i)), p.mean()[i], p.lo()[i], p.hi()[i]));
    }
    return Forecast.newBuilder()
        .setOrigin(Instant.ofEpochMilli(p.origin()))
        .setStepMillis(p.stepMillis())
        .setPoints(points)
        .setModel(model)
        .setTrainedAt(Instant.ofEpochMilli(trainedAt))
        .setMase(Double.isNaN(p.mase()) ? null : p.mase())
        .setSignalType(type)
        .setThreshold(threshold == null ? null : threshold.value())
        .setThresholdSource(threshold == null ? null : threshold.source())
        .setFallbackReason(null)
        .build();
  }

  /**
   * A SageMaker forecast standing in for the embedded one, with its origin, step, type and
   * threshold; at most as many points. SageMaker's model has no rolling MASE here, and its training
   * time is unknown: trainedAt is the origin.
   */
  static Forecast fromSageMaker(Forecast embedded, DeepArForecast answer, String model) {
    long origin = embedded.getOrigin().toEpochMilli();
    long step = embedded.getStepMillis();
    int n = Math.min(embedded.getPoints().size(), answer.mean().length);
    List<ForecastPoint> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      points.add(
          new ForecastPoint(
              Instant.ofEpochMilli(origin + (i + 1) * step),
              answer.mean()[i],
              answer.lo()[i],
              answer.hi()[i]));
    }
    return Forecast.newBuilder(embedded)
        .setPoints(points)
        .setModel(model)
        .setTrainedAt(embedded.getOrigin())
        .setMase(null)
        .build();
  }
}
