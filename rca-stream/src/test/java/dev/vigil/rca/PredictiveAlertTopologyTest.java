package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.internal.Forecasts;
import dev.vigil.rca.internal.PredictiveAlertProcessor;
import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forecasts on vigil.forecasts drive predictive alerts on vigil.alerts, with the catalog's team.
 */
class PredictiveAlertTopologyTest {
  @TempDir Path stateDir;

  @Test
  void forecastsFireUpdateAndResolveOneAlertKeyedByItsFingerprint() {
    try (RcaDriver rca = new RcaDriver(stateDir)) {
      rca.service("inventory-db", "storage", false, null);
      TestInputTopic<SeriesKey, Forecast> forecasts =
          rca.driver.createInputTopic(
              RcaDriver.TOPICS.forecasts.name(),
              RcaDriver.TOPICS.forecasts.keySerde().serializer(),
              RcaDriver.TOPICS.forecasts.valueSerde().serializer());
      TestOutputTopic<String, Alert> alerts =
          rca.driver.createOutputTopic(
              RcaDriver.TOPICS.alerts.name(),
              RcaDriver.TOPICS.alerts.keySerde().deserializer(),
              RcaDriver.TOPICS.alerts.valueSerde().deserializer());
      Instant t0 = Forecasts.T0;
      SeriesKey disk = Forecasts.DISK;
      forecasts.pipeInput(disk, Forecasts.disk(t0, 0.80, 0.005, 0.02), t0);
      forecasts.pipeInput(
          disk, Forecasts.disk(t0.plusSeconds(300), 0.82, 0.005, 0.02), t0.plusSeconds(300));
      KeyValueStore<String, byte[]> active =
          rca.driver.getKeyValueStore(PredictiveAlertProcessor.STORE);
      assertThat(active.approximateNumEntries()).isEqualTo(1);
      forecasts.pipeInput(
          disk, Forecasts.disk(t0.plusSeconds(600), 0.40, 0.0, 0.02), t0.plusSeconds(600));

      List<TestRecord<String, Alert>> out = alerts.readRecordsToList();
      assertThat(out).hasSize(3);
      assertThat(out).extracting(TestRecord::key).containsOnly(out.get(0).value().getFingerprint());
      assertThat(out.get(0).value().getLabels()).containsEntry("team", "storage");
      assertThat(out.get(1).value().getAnnotations().get("summary"))
          .isEqualTo("disk on inventory-db full in ~26 min");
      assertThat(out.get(2).value().getEndsAt()).isEqualTo(t0.plusSeconds(600));
      assertThat(out).extracting(r -> r.value().getStartsAt()).containsOnly(t0);
      assertThat(active.get(out.get(0).key())).as("a resolved alert leaves the store").isNull();
      assertThat(
              rca.registry
                  .find("vigil.rca.predictive.alerts")
                  .tag("phase", "fired")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }
}
