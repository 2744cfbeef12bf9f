package dev.vigil.perf.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.perf.anomaly.HistogramQuantileNoise.Estimate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramQuantileNoiseTest {
  @Test
  void estimatesTheP95FourWays() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      values.add((double) i);
    }
    // rank 0.95 * 19 = 18.05; buckets (..5] 5, (5,10] 5, (10,25] 10: the p95 is in (10,25]
    assertThat(HistogramQuantileNoise.p95(values, Estimate.EXACT)).isEqualTo(19.0);
    assertThat(HistogramQuantileNoise.p95(values, Estimate.BUCKET_MIDPOINT)).isEqualTo(17.5);
    // 10 + (18.05 - 10 + 0.5) / 10 * 15
    assertThat(HistogramQuantileNoise.p95(values, Estimate.BUCKET_INTERPOLATED))
        .isCloseTo(22.825, within(1e-9));
    // (10,25] spread as 10.75, 12.25, ... 24.25; the sketch's rank 18.05 falls on the 9th: 22.75
    assertThat(HistogramQuantileNoise.p95(values, Estimate.ENRICHMENT))
        .isCloseTo(22.75, withinPercentage(1));
  }
}
