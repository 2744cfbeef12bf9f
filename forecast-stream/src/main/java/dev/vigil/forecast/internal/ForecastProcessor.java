package dev.vigil.forecast.internal;

import dev.vigil.forecast.ForecastSettings;
import dev.vigil.forecast.model.HoltWinters;
import dev.vigil.forecast.model.HoltWintersState;
import dev.vigil.forecast.model.Prediction;
import dev.vigil.forecast.sagemaker.SageMakerForecaster;
import dev.vigil.forecast.sagemaker.SeriesContext;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns every selected window into its series' Holt-Winters state and, every N windows, forecasts.
 *
 * <p>Without a SageMaker endpoint the embedded forecast is written at once. With one, the series
 * joins a batch (with its context window and the embedded forecast as a fallback); full batches go
 * out at once, partial ones after the linger, never blocking this thread. A wall-clock punctuator
 * applies the batches that completed: SageMaker's forecasts, or the fallbacks with their reason.
 *
 * <p>Exactly-once: a series waiting for SageMaker has a marker (its origin) in {@value
 * #PENDING_STORE}, written in the transaction of the window that made it due and deleted in the one
 * that writes its forecast. After a crash, rebalance or restart, the markers still there are
 * forecast again from the restored state; a result that arrives for a task that is gone is dropped.
 * So no forecast is lost, and none is written twice.
 */
public final class ForecastProcessor
    implements Processor<SeriesKey, SignalWindow, SeriesKey, Forecast> {
  /** Per-series model states. */
  public static final String STATE_STORE = "forecast-series-state";

  /** Per-series context windows for SageMaker (only with an endpoint). */
  public static final String CONTEXT_STORE = "forecast-context";

  /** Series waiting for SageMaker, with their origin (only with an endpoint). */
  public static final String PENDING_STORE = "forecast-pending";

  private static final long DEFAULT_STEP = 60_000L;
  private static final Logger LOGGER = LoggerFactory.getLogger(ForecastProcessor.class);

  private final ForecastSettings settings;
  private final ForecastMetrics metrics;
  private final SageMakerForecaster sageMaker;
  private final Map<Long, HoltWinters> models = new HashMap<>();
  private final List<SeriesRequest> batch = new ArrayList<>();
  private final Queue<Completed> completed = new ConcurrentLinkedQueue<>();
  private final List<SeriesKey> recover = new ArrayList<>();
  private ProcessorContext<SeriesKey, Forecast> context;
  private KeyValueStore<SeriesKey, byte[]> states;
  private KeyValueStore<SeriesKey, byte[]> contexts;
  private KeyValueStore<SeriesKey, Forecast> pending;

  /**
   * A processor.
   *
   * @param sageMaker the shared SageMaker caller, null for the embedded model only
   */
  public ForecastProcessor(
      ForecastSettings settings, ForecastMetrics metrics, SageMakerForecaster sageMaker) {
    this.settings = settings;
    this.metrics = metrics;
    this.sageMaker = sageMaker;
  }

  @Override
  public void init(ProcessorContext<SeriesKey, Forecast> context) {
    this.context = context;
    this.states = context.getStateStore(STATE_STORE);
    if (sageMaker != null) {
      this.contexts = context.getStateStore(CONTEXT_STORE);
      this.pending = context.getStateStore(PENDING_STORE);
      try (KeyValueIterator<SeriesKey, Forecast> all = pending.all()) {
        all.forEachRemaining(e -> recover.add(e.key));
      }
      if (!recover.isEmpty()) {
        LOGGER.info(
            "{} series were waiting for SageMaker; they are forecast again", recover.size());
      }
      Duration linger = sageMaker.settings().linger();
      context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> poll());
    }
  }

  @Override
  public void process(Record<SeriesKey, SignalWindow> record) {
    SeriesKey key = record.key();
    SignalWindow w = record.value();
    if (!settings.selects(key, w)) {
      metrics.window(ForecastMetrics.Outcome.NOT_SELECTED);
      return;
    }
    Double y = SignalValue.of(w);
    if (y == null) {
      metrics.window(ForecastMetrics.Outcome.NO_VALUE);
      return;
    }
    long start = w.getWindowStart().toEpochMilli();
    long end = w.getWindowEnd().toEpochMilli();
    long step = end > start ? end - start : DEFAULT_STEP;
    HoltWinters model = models.computeIfAbsent(step, s -> new HoltWinters(settings.seasonality(s)));
    HoltWintersState state = load(key, model);
    if (!model.update(state, start, y)) {
      // Not after the series' last window. A revision (the enrichment's final values of a window
      // it emitted early) is not a new window: learning it again would count one minute twice and
      // move the forecast cadence. The first emission stands.
      if (w.getRevision() > 0) {
        metrics.revision();
      } else {
        metrics.window(ForecastMetrics.Outcome.LATE);
      }
      return;
    }
    metrics.window(
        state.ready() ? ForecastMetrics.Outcome.LEARNED : ForecastMetrics.Outcome.WARMUP);
    byte[] bytes = model.serialize(state);
    metrics.stateBytes(bytes.length);
    states.put(key, bytes);
    ContextWindow window = null;
    if (sageMaker != null) {
      window = loadContext(key, step);
      window.add(start, y);
      contexts.put(key, window.toBytes());
    }
    if (state.ready() && state.points() % settings.everyWindows() == 0) {
      Threshold threshold = Threshold.of(key.getSignal(), w, settings.capacityLimits());
      SignalType type = w.getType() == null ? SignalType.OTHER : w.getType();
      Forecast embedded = embedded(model, state, type, threshold);
      if (sageMaker == null) {
        metrics.forecast(HoltWinters.ID, null);
        context.forward(new Record<>(key, embedded, record.timestamp()));
      } else {
        ask(new SeriesRequest(key, window.context(), embedded, record.timestamp()));
      }
    }
    if (sageMaker != null) {
      apply();
    }
  }

  private Forecast embedded(
      HoltWinters model, HoltWintersState state, SignalType type, Threshold threshold) {
    Prediction p = model.forecast(state, settings.horizonSteps(model.seasonality().stepMillis()));
    return ForecastRecords.embedded(p, HoltWinters.ID, state.trainedAt(), type, threshold);
  }

  private HoltWintersState load(SeriesKey key, HoltWinters model) {
    byte[] bytes = states.get(key);
    if (bytes != null) {
      try {
        return model.deserialize(bytes);
      } catch (IllegalArgumentException e) {
        // Written by another version or for another season/step: learning again beats
        // dead-lettering every window of the series for ever.
        LOGGER.warn("Unreadable forecast state of series {}; it learns again", key, e);
        metrics.stateReset();
      }
    }
    return model.newState();
  }

  private ContextWindow loadContext(SeriesKey key, long step) {
    byte[] bytes = contexts.get(key);
    int capacity = sageMaker.settings().contextPoints();
    return bytes == null
        ? new ContextWindow(step, capacity)
        : ContextWindow.fromBytes(bytes, step, capacity);
  }

  private void ask(SeriesRequest request) {
    pending.put(request.key(), request.embedded());
    batch.add(request);
    if (batch.size() >= sageMaker.settings().batchSize()) {
      send();
    }
  }

  private void send() {
    if (batch.isEmpty()) {
      return;
    }
    List<SeriesRequest> requests = List.copyOf(batch);
    batch.clear();
    sageMaker
        .submit(requests.stream().map(SeriesRequest::context).toList())
        .thenAccept(outcome -> completed.add(new Completed(requests, outcome)));
  }

  /** Wall-clock punctuation: recovers, sends the partial batch, applies completed batches. */
  private void poll() {
    if (!recover.isEmpty()) {
      List<SeriesKey> keys = List.copyOf(recover);
      recover.clear();
      for (SeriesKey key : keys) {
        recoverOne(key);
      }
    }
    send();
    apply();
  }

  private void recoverOne(SeriesKey key) {
    Forecast marker = pending.get(key);
    byte[] bytes = states.get(key);
    byte[] contextBytes = contexts.get(key);
    if (marker == null || bytes == null || contextBytes == null) {
      pending.delete(key);
      return;
    }
    long step = HoltWinters.stepOf(bytes);
    HoltWinters model = models.computeIfAbsent(step, s -> new HoltWinters(settings.seasonality(s)));
    try {
      HoltWintersState state = model.deserialize(bytes);
      SeriesContext series =
          ContextWindow.fromBytes(contextBytes, step, sageMaker.settings().contextPoints())
              .context();
      if (state.ready() && series != null) {
        // Forecast again from the restored state (its origin may be later than the lost one's),
        // with the type and threshold the lost forecast carried.
        Threshold threshold =
            marker.getThreshold() == null
                ? null
                : new Threshold(marker.getThreshold(), marker.getThresholdSource());
        ask(
            new SeriesRequest(
                key,
                series,
                embedded(model, state, marker.getSignalType(), threshold),
                state.lastTimestamp() + step));
        return;
      }
    } catch (IllegalArgumentException e) {
      LOGGER.warn(
          "Unreadable forecast state of series {}; its pending forecast is dropped", key, e);
    }
    pending.delete(key);
  }

  private void apply() {
    Completed done;
    while ((done = completed.poll()) != null) {
      SageMakerForecaster.Outcome outcome = done.outcome();
      for (int i = 0; i < done.requests().size(); i++) {
        SeriesRequest request = done.requests().get(i);
        Forecast forecast;
        if (outcome.succeeded()) {
          forecast =
              ForecastRecords.fromSageMaker(
                  request.embedded(),
                  outcome.forecasts().get(i),
                  "sagemaker:" + sageMaker.endpoint());
          metrics.forecast("sagemaker", null);
        } else {
          forecast =
              Forecast.newBuilder(request.embedded())
                  .setFallbackReason(outcome.reason().label())
                  .build();
          metrics.forecast(HoltWinters.ID, outcome.reason());
        }
        context.forward(new Record<>(request.key(), forecast, request.timestamp()));
        Forecast marker = pending.get(request.key());
        if (marker != null && marker.getOrigin().equals(request.embedded().getOrigin())) {
          pending.delete(request.key());
        }
      }
    }
  }

  @Override
  public void close() {
    // Batches in flight are abandoned: their markers stay in the store and are forecast again by
    // whichever instance owns the task next.
    batch.clear();
    completed.clear();
  }

  /** One series waiting for SageMaker. */
  private record SeriesRequest(
      SeriesKey key, SeriesContext context, Forecast embedded, long timestamp) {}

  /** A batch that completed. */
  private record Completed(List<SeriesRequest> requests, SageMakerForecaster.Outcome outcome) {}
}
