package dev.vigil.sinks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sinks.prometheus.prompb.Label;
import dev.vigil.sinks.prometheus.prompb.TimeSeries;
import dev.vigil.sinks.prometheus.prompb.WriteRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteEncoderTest {
  private static final SeriesId CART =
      new SeriesId(
          "latency:quantile1m", Map.of("service", "cart", "quantile", "0.99", "Zone", "a"));
  private static final SeriesId PAY = new SeriesId("latency:count1m", Map.of("service", "pay"));

  private static NavigableMap<Long, Double> samples(int n, long start) {
    NavigableMap<Long, Double> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      out.put(start + i * 60_000L, (double) i);
    }
    return out;
  }

  private static WriteRequest decode(RemoteWriteEncoder.Batch batch) throws Exception {
    return WriteRequest.parseFrom(Snappy.uncompress(batch.body()));
  }

  @Test
  void encodesSortedLabelsWithNameAndOrderedSamples() throws Exception {
    Map<SeriesId, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
    series.put(CART, samples(3, 1_000));

    List<RemoteWriteEncoder.Batch> batches = new RemoteWriteEncoder(1024 * 1024).encode(series);

    assertThat(batches).hasSize(1);
    TimeSeries ts = decode(batches.get(0)).getTimeseries(0);
    assertThat(ts.getLabelsList().stream().map(Label::getName))
        .containsExactly("Zone", "__name__", "quantile", "service");
    assertThat(ts.getSamplesList().stream().map(s -> s.getTimestamp()))
        .containsExactly(1_000L, 61_000L, 121_000L);
    assertThat(batches.get(0).samples()).isEqualTo(3);
    assertThat(batches.get(0).lastTimestamps()).containsEntry(CART, 121_000L);
  }

  @Test
  void splitsByBytesKeepingEachSeriesOrderedAcrossRequests() throws Exception {
    Map<SeriesId, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
    series.put(CART, samples(500, 0));
    series.put(PAY, samples(500, 0));
    int max = 2048;

    List<RemoteWriteEncoder.Batch> batches = new RemoteWriteEncoder(max).encode(series);

    assertThat(batches.size()).isGreaterThan(5);
    Map<String, List<Long>> timestamps = new LinkedHashMap<>();
    int total = 0;
    for (RemoteWriteEncoder.Batch batch : batches) {
      assertThat(batch.uncompressedBytes()).isLessThanOrEqualTo(max);
      for (TimeSeries ts : decode(batch).getTimeseriesList()) {
        String name =
            ts.getLabelsList().stream()
                .filter(l -> l.getName().equals("__name__"))
                .findFirst()
                .orElseThrow()
                .getValue();
        ts.getSamplesList()
            .forEach(
                s ->
                    timestamps.computeIfAbsent(name, k -> new ArrayList<>()).add(s.getTimestamp()));
        total += ts.getSamplesCount();
      }
    }
    assertThat(total).isEqualTo(1000);
    assertThat(timestamps.get("latency:quantile1m")).isSorted().hasSize(500);
    assertThat(timestamps.get("latency:count1m")).isSorted().hasSize(500);
  }

  @Test
  void encodesNothingForNoSamples() {
    assertThat(new RemoteWriteEncoder(1024).encode(Map.of())).isEmpty();
  }

  @Test
  void refusesTinyBatches() {
    assertThatThrownBy(() -> new RemoteWriteEncoder(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBatchBytes");
  }
}
