package dev.vigil.anomaly.internal;

import dev.vigil.anomaly.AnomalySettings;
import java.nio.ByteBuffer;

/**
 * The episode state machine of one series (or service): hysteresis and minimum duration, so a
 * series does not flap. Closed until {@code minDurationPoints} anomalous windows in a row (or one
 * critical window); then open until {@code closeAfterPoints} windows in a row score below the close
 * threshold.
 */
public final class Episode {
  static final int BYTES = 1 + 4 + 4 + 8 + 8 + 8;

  /** What one window did to the episode. */
  public enum Transition {
    NONE,
    START,
    UPDATE,
    END
  }

  boolean open;
  int high;
  int low;
  long pendingStart;
  long startedAt;
  double peak;

  /** Feeds one window's score; {@code windowStart} dates a possible start. */
  public Transition observe(AnomalySettings settings, double score, long windowStart) {
    if (!open) {
      if (score >= settings.threshold()) {
        if (high == 0) {
          pendingStart = windowStart;
          peak = 0;
        }
        high++;
        peak = Math.max(peak, score);
        if (high >= settings.minDurationPoints() || score >= AnomalySettings.CRITICAL_SCORE) {
          open = true;
          startedAt = pendingStart;
          low = 0;
          return Transition.START;
        }
      } else {
        high = 0;
      }
      return Transition.NONE;
    }
    peak = Math.max(peak, score);
    if (score < settings.closeThreshold()) {
      low++;
      if (low >= settings.closeAfterPoints()) {
        open = false;
        high = 0;
        low = 0;
        return Transition.END;
      }
    } else {
      low = 0;
    }
    return Transition.UPDATE;
  }

  void write(ByteBuffer buf) {
    buf.put((byte) (open ? 1 : 0)).putInt(high).putInt(low);
    buf.putLong(pendingStart).putLong(startedAt).putDouble(peak);
  }

  static Episode read(ByteBuffer buf) {
    Episode e = new Episode();
    e.open = buf.get() == 1;
    e.high = buf.getInt();
    e.low = buf.getInt();
    e.pendingStart = buf.getLong();
    e.startedAt = buf.getLong();
    e.peak = buf.getDouble();
    return e;
  }
}
