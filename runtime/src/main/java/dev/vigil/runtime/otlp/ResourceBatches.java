package dev.vigil.runtime.otlp;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each resource batch of an encoded {@code Export*ServiceRequest} lies in its bytes, so a
 * request can be cut per resource by copying bytes instead of encoding each decoded batch again.
 *
 * <p>Every export request of the three signals has one field, 1, the repeated resource batches;
 * protobuf appends each occurrence of a repeated message field as the next element, so when the
 * bytes hold nothing but field-1 entries and decode as the request, entry {@code i} is exactly the
 * decoded batch {@code i}. Anything else (OTLP/JSON, another field, a truncated entry) yields null,
 * and the caller encodes the decoded batches instead.
 *
 * <p>Written over protobuf's own {@link CodedInputStream} rather than the generated classes: those
 * only parse whole messages, which is the cost this saves.
 */
public final class ResourceBatches {
  // Field 1, wire type 2 (length-delimited).
  private static final int RESOURCES_TAG = (1 << 3) | 2;

  private final byte[] request;
  private final List<Slice> slices;

  private ResourceBatches(byte[] request, List<Slice> slices) {
    this.request = request;
    this.slices = slices;
  }

  /**
   * The batches of {@code request}, or null when its bytes are not exactly {@code count} field-1
   * entries.
   *
   * @param request bytes the caller decoded as an export request
   * @param count how many resource batches the decoded request has
   */
  public static ResourceBatches of(byte[] request, int count) {
    List<Slice> slices = new ArrayList<>(count);
    CodedInputStream in = CodedInputStream.newInstance(request);
    try {
      while (!in.isAtEnd()) {
        int start = in.getTotalBytesRead();
        if (in.readTag() != RESOURCES_TAG || slices.size() == count) {
          return null;
        }
        int length = in.readRawVarint32();
        int valueStart = in.getTotalBytesRead();
        in.skipRawBytes(length);
        slices.add(new Slice(start, valueStart, valueStart + length));
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return slices.size() == count ? new ResourceBatches(request, slices) : null;
  }

  /** How many batches. */
  public int count() {
    return slices.size();
  }

  /** The encoded batch {@code i} itself (a {@code Resource*} message). */
  public byte[] batch(int i) {
    Slice s = slices.get(i);
    return Arrays.copyOfRange(request, s.valueStart, s.end);
  }

  /** An encoded export request of batch {@code i} alone: its field-1 entry. */
  public byte[] requestOf(int i) {
    Slice s = slices.get(i);
    return Arrays.copyOfRange(request, s.start, s.end);
  }

  /** Bytes of {@link #requestOf}{@code (i)}. */
  public int requestSize(int i) {
    Slice s = slices.get(i);
    return s.end - s.start;
  }

  private record Slice(int start, int valueStart, int end) {}
}
