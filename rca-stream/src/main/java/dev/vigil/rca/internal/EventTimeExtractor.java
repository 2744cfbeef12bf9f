package dev.vigil.rca.internal;

import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeWindow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the records themselves, whatever timestamp their producer set: the end of the
 * window scored for an anomaly, the end of the window for an edge. A change counts at its own time
 * unless that is later than when it was written (a mistyped future date must not move stream time
 * ahead and resolve everything). Replayed data may be months old; nothing here reads the clock.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    if (value instanceof AnomalyEvent anomaly) {
      return anomaly.getAt().toEpochMilli();
    }
    if (value instanceof EdgeWindow window) {
      return window.getWindowEnd().toEpochMilli();
    }
    if (value instanceof ChangeEvent change) {
      long at = change.getAt().toEpochMilli();
      return record.timestamp() >= 0 ? Math.min(at, record.timestamp()) : at;
    }
    return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
  }
}
