package dev.vigil.sinks.prometheus;

import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.SinkTaskMetrics.Counter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes samples to a remote-write receiver, each series in timestamp order, never resending what
 * the receiver already accepted.
 *
 * <p>Per call: samples are grouped per series and ordered (two samples of one series at one
 * timestamp: the later record wins); samples at or before the newest the receiver accepted in this
 * task are dropped and counted ({@code duplicate} when equal, {@code stale} when older); the rest
 * go out in byte-bounded requests. A 400 that says "out of order", "out of bounds" or "duplicate
 * sample" means this task does not yet know what an earlier run wrote (after a restart): the
 * request's series are then resent one by one, and a series still refused sample by sample, so
 * every sample is either written or counted as stale; the answers teach the task what the receiver
 * holds. 429/5xx that outlast the retries become a {@link RetriableException} (Connect redelivers
 * the batch); any other 4xx fails the task with the receiver's reason.
 */
public final class PrometheusWriter {
  private static final Logger LOGGER = LoggerFactory.getLogger(PrometheusWriter.class);
  private static final String CONTENT_TYPE = "application/x-protobuf";
  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Encoding", "snappy",
          "X-Prometheus-Remote-Write-Version", "0.1.0",
          "User-Agent", "vigil-sinks");

  private final HttpTarget target;
  private final RemoteWriteEncoder encoder;
  private final Counters counters;
  private final WrittenSeries written = new WrittenSeries();

  /**
   * The writer's counters.
   *
   * @param written samples the receiver accepted
   * @param stale samples dropped because their series already had a newer one
   * @param duplicates samples skipped because the receiver already had them
   * @param requests remote-write requests sent (retries not included)
   */
  public record Counters(Counter written, Counter stale, Counter duplicates, Counter requests) {}

  /** A writer to {@code target} (its URL is the receiver's write endpoint). */
  public PrometheusWriter(HttpTarget target, RemoteWriteEncoder encoder, Counters counters) {
    this.target = target;
    this.encoder = encoder;
    this.counters = counters;
  }

  /**
   * Writes samples; returns when the receiver accepted all that are not stale or duplicate.
   *
   * @throws RetriableException if the receiver stayed unavailable through the retries
   * @throws HttpStatusException if it refused a request for another reason (auth, size, ...)
   */
  public void write(List<Sample> samples) {
    Map<SeriesId, NavigableMap<Long, Double>> bySeries = new LinkedHashMap<>();
    for (Sample sample : samples) {
      bySeries
          .computeIfAbsent(sample.series(), s -> new TreeMap<>())
          .put(sample.timestampMillis(), sample.value());
    }
    for (Map.Entry<SeriesId, NavigableMap<Long, Double>> entry : bySeries.entrySet()) {
      WrittenSeries.Filtered filtered = written.removeWritten(entry.getKey(), entry.getValue());
      counters.stale().add(filtered.stale());
      counters.duplicates().add(filtered.duplicates());
    }
    bySeries.values().removeIf(Map::isEmpty);
    for (RemoteWriteEncoder.Batch batch : encoder.encode(bySeries)) {
      HttpTarget.Response response = post(batch);
      if (response.isSuccess()) {
        accepted(batch);
      } else if (isAlreadyWritten(response)) {
        LOGGER.info(
            "Receiver holds newer samples than this task knows ({}); resending {} series one by one",
            response.body().strip(),
            batch.lastTimestamps().size());
        recover(batch, bySeries);
      } else {
        throw refused(response);
      }
    }
  }

  /** Series whose newest accepted timestamp this task remembers. */
  public int knownSeries() {
    return written.size();
  }

  private void recover(
      RemoteWriteEncoder.Batch batch, Map<SeriesId, NavigableMap<Long, Double>> bySeries) {
    for (Map.Entry<SeriesId, Long> entry : batch.lastTimestamps().entrySet()) {
      SeriesId series = entry.getKey();
      NavigableMap<Long, Double> samples =
          new TreeMap<>(bySeries.get(series).headMap(entry.getValue(), true));
      WrittenSeries.Filtered filtered = written.removeWritten(series, samples);
      counters.stale().add(filtered.stale());
      counters.duplicates().add(filtered.duplicates());
      if (samples.isEmpty() || sendAll(series, samples)) {
        continue;
      }
      for (Map.Entry<Long, Double> sample : samples.entrySet()) {
        if (!sendAll(series, new TreeMap<>(Map.of(sample.getKey(), sample.getValue())))) {
          counters.stale().increment();
        }
      }
    }
  }

  /** Sends one series' samples; false if the receiver said it already has newer ones. */
  private boolean sendAll(SeriesId series, NavigableMap<Long, Double> samples) {
    for (RemoteWriteEncoder.Batch batch : encoder.encode(Map.of(series, samples))) {
      HttpTarget.Response response = post(batch);
      if (response.isSuccess()) {
        accepted(batch);
      } else if (isAlreadyWritten(response)) {
        return false;
      } else {
        throw refused(response);
      }
    }
    return true;
  }

  private HttpTarget.Response post(RemoteWriteEncoder.Batch batch) {
    counters.requests().increment();
    return target.exchange(
        HttpTarget.Request.post("", CONTENT_TYPE, batch.body()).withHeaders(HEADERS));
  }

  private void accepted(RemoteWriteEncoder.Batch batch) {
    batch.lastTimestamps().forEach(written::accepted);
    counters.written().add(batch.samples());
  }

  private RuntimeException refused(HttpTarget.Response response) {
    HttpStatusException refusal =
        new HttpStatusException(
            "POST", target.settings().baseUrl().toString(), response.status(), response.body());
    return refusal.isRetriable()
        ? new RetriableException(refusal.getMessage() + " (retries spent)", refusal)
        : refusal;
  }

  /** Prometheus' answers for samples at or before what a series already holds. */
  static boolean isAlreadyWritten(HttpTarget.Response response) {
    if (response.status() != 400) {
      return false;
    }
    String body = response.body().toLowerCase(Locale.ROOT);
    return body.contains("out of order")
        || body.contains("out of bounds")
        || body.contains("duplicate sample")
        || body.contains("too old");
  }
}
