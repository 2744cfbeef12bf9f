package dev.vigil.rca.internal;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Runs {@link PredictiveAlerts} on {@code vigil.forecasts}: per alert fingerprint, the store
 * {@value #STORE} holds when the active alert fired (changelogged, so exactly-once restores it); a
 * resolved alert leaves the store. Forecasts are partitioned by service, so one series' alert
 * always lives on one task.
 */
public final class PredictiveAlertProcessor
    implements Processor<SeriesKey, Forecast, String, Alert> {
  /** Active predictive alerts: fingerprint → startsAt. */
  public static final String STORE = "rca-predictive-state";

  private final RcaMetrics metrics;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, byte[]> active;
  private KeyValueStore<String, Object> catalog;
  private PredictiveAlerts alerts;

  /** A processor; Streams calls {@link #init} before use. */
  public PredictiveAlertProcessor(RcaMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.active = context.getStateStore(STORE);
    this.catalog = context.getStateStore(RcaProcessor.CATALOG_STORE);
    this.alerts = new PredictiveAlerts(this::lookUp);
  }

  @Override
  public void process(Record<SeriesKey, Forecast> record) {
    if (record.key() == null || record.value() == null) {
      throw new IllegalArgumentException("forecast without a series key or a value");
    }
    String fingerprint = PredictiveAlerts.fingerprint(record.key());
    byte[] since = active.get(fingerprint);
    Instant activeSince =
        since == null ? null : Instant.ofEpochMilli(ByteBuffer.wrap(since).getLong());
    Alert alert = alerts.onForecast(record.key(), record.value(), activeSince);
    if (alert == null) {
      return;
    }
    if (alert.getEndsAt() != null) {
      active.delete(fingerprint);
      metrics.predictive("resolved");
    } else {
      if (activeSince == null) {
        active.put(
            fingerprint,
            ByteBuffer.allocate(8).putLong(alert.getStartsAt().toEpochMilli()).array());
        metrics.predictive("fired");
      } else {
        metrics.predictive("updated");
      }
    }
    context.forward(new Record<>(alert.getFingerprint(), alert, record.timestamp()));
  }

  private ServiceInfo lookUp(String service) {
    Object value = catalog.get(service);
    if (value instanceof ValueAndTimestamp<?> stamped) {
      value = stamped.value();
    }
    return value instanceof ServiceInfo info ? info : null;
  }
}
