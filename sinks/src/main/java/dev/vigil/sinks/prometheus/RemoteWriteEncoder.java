package dev.vigil.sinks.prometheus;

import com.google.protobuf.CodedOutputStream;
import dev.vigil.sinks.prometheus.prompb.Label;
import dev.vigil.sinks.prometheus.prompb.TimeSeries;
import dev.vigil.sinks.prometheus.prompb.WriteRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Packs samples into remote-write 1.0 requests: protobuf {@code WriteRequest}s of at most {@code
 * maxBatchBytes} (before compression), each compressed with snappy's block format.
 *
 * <p>Samples of one series stay in timestamp order; a series too big for one request is split into
 * consecutive requests, earlier samples first, so sending the batches in order keeps every series
 * ordered.
 */
public final class RemoteWriteEncoder {
  private static final int TIME_SERIES_FIELD = 1;
  private static final int SAMPLE_FIELD = 2;
  private static final int LABEL_FIELD = 1;

  /** Tag and length prefix of one embedded message, at most. */
  private static final int ENVELOPE = 6;

  private final int maxBatchBytes;

  /** An encoder of requests up to {@code maxBatchBytes} of protobuf each. */
  public RemoteWriteEncoder(int maxBatchBytes) {
    if (maxBatchBytes < 256) {
      throw new IllegalArgumentException("maxBatchBytes must be >= 256, got " + maxBatchBytes);
    }
    this.maxBatchBytes = maxBatchBytes;
  }

  /**
   * One compressed request, with what it holds.
   *
   * @param body the snappy-compressed {@code WriteRequest}
   * @param uncompressedBytes protobuf size before compression
   * @param samples number of samples
   * @param lastTimestamps per series, the newest timestamp in this request
   */
  public record Batch(
      byte[] body, int uncompressedBytes, int samples, Map<SeriesId, Long> lastTimestamps) {}

  /** Encodes series (each one's samples ordered by timestamp) into requests, in sending order. */
  public List<Batch> encode(Map<SeriesId, NavigableMap<Long, Double>> series) {
    List<Batch> batches = new ArrayList<>();
    WriteRequest.Builder request = WriteRequest.newBuilder();
    Map<SeriesId, Long> last = new HashMap<>();
    int requestBytes = 0;
    int requestSamples = 0;
    for (Map.Entry<SeriesId, NavigableMap<Long, Double>> entry : series.entrySet()) {
      List<Label> labels = labels(entry.getKey());
      int labelBytes = 0;
      for (Label label : labels) {
        labelBytes += CodedOutputStream.computeMessageSize(LABEL_FIELD, label);
      }
      TimeSeries.Builder current = TimeSeries.newBuilder().addAllLabels(labels);
      int currentBytes = ENVELOPE + labelBytes;
      for (Map.Entry<Long, Double> point : entry.getValue().entrySet()) {
        dev.vigil.sinks.prometheus.prompb.Sample sample =
            dev.vigil.sinks.prometheus.prompb.Sample.newBuilder()
                .setTimestamp(point.getKey())
                .setValue(point.getValue())
                .build();
        int sampleBytes = CodedOutputStream.computeMessageSize(SAMPLE_FIELD, sample);
        if (requestBytes + currentBytes + sampleBytes > maxBatchBytes
            && (requestSamples > 0 || current.getSamplesCount() > 0)) {
          // Full: close this request with what the series has so far, go on in the next one.
          if (current.getSamplesCount() > 0) {
            request.addTimeseries(current.build());
            requestSamples += current.getSamplesCount();
            last.put(entry.getKey(), lastTimestamp(current));
          }
          batches.add(batch(request.build(), requestSamples, last));
          request = WriteRequest.newBuilder();
          last = new HashMap<>();
          requestBytes = 0;
          requestSamples = 0;
          current = TimeSeries.newBuilder().addAllLabels(labels);
          currentBytes = ENVELOPE + labelBytes;
        }
        current.addSamples(sample);
        currentBytes += sampleBytes;
      }
      if (current.getSamplesCount() > 0) {
        request.addTimeseries(current.build());
        requestBytes += currentBytes;
        requestSamples += current.getSamplesCount();
        last.put(entry.getKey(), lastTimestamp(current));
      }
    }
    if (requestSamples > 0) {
      batches.add(batch(request.build(), requestSamples, last));
    }
    return batches;
  }

  /** The remote-write labels of a series, {@code __name__} included, sorted by name. */
  static List<Label> labels(SeriesId series) {
    TreeMap<String, String> all = new TreeMap<>(series.labels());
    all.put("__name__", series.name());
    List<Label> labels = new ArrayList<>(all.size());
    all.forEach((k, v) -> labels.add(Label.newBuilder().setName(k).setValue(v).build()));
    return labels;
  }

  /** The snappy block-format compression remote-write requires. */
  public static byte[] compress(byte[] protobuf) {
    try {
      return Snappy.compress(protobuf);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  private static long lastTimestamp(TimeSeries.Builder series) {
    return series.getSamples(series.getSamplesCount() - 1).getTimestamp();
  }

  private static Batch batch(WriteRequest request, int samples, Map<SeriesId, Long> last) {
    byte[] protobuf = request.toByteArray();
    return new Batch(compress(protobuf), protobuf.length, samples, Map.copyOf(last));
  }
}
