package dev.vigil.forecast.internal;

import dev.vigil.forecast.sagemaker.SeriesContext;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The last {@code capacity} points of a series, as DeepAR needs them for context: a ring of floats
 * on the series' step, NaN for missing steps. Fixed size: {@code 21 + 4 × capacity} bytes.
 */
final class ContextWindow {
  private static final byte FORMAT = 1;

  private final long stepMillis;
  private final float[] values;
  private long lastT = Long.MIN_VALUE;
  private int filled;

  ContextWindow(long stepMillis, int capacity) {
    this.stepMillis = stepMillis;
    this.values = new float[capacity];
  }

  /** Adds a point after the last one; later steps in between count as missing. */
  void add(long t, double y) {
    if (lastT != Long.MIN_VALUE) {
      if (t <= lastT) {
        return;
      }
      long missing = Math.min(values.length, (t - lastT) / stepMillis - 1);
      for (long i = 0; i < missing; i++) {
        push(Float.NaN);
      }
    }
    push((float) y);
    lastT = t;
  }

  private void push(float v) {
    System.arraycopy(values, 1, values, 0, values.length - 1);
    values[values.length - 1] = v;
    filled = Math.min(values.length, filled + 1);
  }

  /** The points held, oldest first; null if none. */
  SeriesContext context() {
    if (filled == 0) {
      return null;
    }
    double[] target = new double[filled];
    for (int i = 0; i < filled; i++) {
      target[i] = values[values.length - filled + i];
    }
    return new SeriesContext(lastT - (filled - 1L) * stepMillis, stepMillis, target);
  }

  byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4 * values.length);
    buf.put(FORMAT).putLong(stepMillis).putLong(lastT).putInt(filled);
    for (float v : values) {
      buf.putFloat(v);
    }
    return buf.array();
  }

  /** Reads one; a window of another step or capacity starts empty. */
  static ContextWindow fromBytes(byte[] bytes, long stepMillis, int capacity) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      if (buf.get() != FORMAT || buf.getLong() != stepMillis || bytes.length != 21 + 4 * capacity) {
        return new ContextWindow(stepMillis, capacity);
      }
      ContextWindow w = new ContextWindow(stepMillis, capacity);
      w.lastT = buf.getLong();
      w.filled = buf.getInt();
      for (int i = 0; i < capacity; i++) {
        w.values[i] = buf.getFloat();
      }
      return w;
    } catch (BufferUnderflowException e) {
      return new ContextWindow(stepMillis, capacity);
    }
  }

  @Override
  public String toString() {
    return "ContextWindow["
        + filled
        + " of "
        + values.length
        + ", last "
        + lastT
        + ", "
        + Arrays.toString(
            Arrays.copyOfRange(values, values.length - Math.min(3, filled), values.length))
        + "]";
  }
}
