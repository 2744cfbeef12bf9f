package dev.vigil.anomaly.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.anomaly.detector.DetectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeriesReplayTest {
  @TempDir Path tmp;
  private final SeriesReplay replay = new SeriesReplay(DetectorSettings.defaults());

  @Test
  void infersTheMostFrequentStepDespiteGaps() {
    long m = 60_000;
    assertThat(SeriesReplay.inferStep(new long[] {0, 5 * m, 10 * m, 30 * m, 35 * m, 40 * m}))
        .isEqualTo(5 * m);
    assertThat(SeriesReplay.inferStep(new long[] {0, 3_600_000})).isEqualTo(3_600_000);
    assertThat(SeriesReplay.inferStep(new long[] {0})).isEqualTo(60_000);
  }

  @Test
  void hourlySeriesWithSpikeIsScoredDeterministicallyOneRowPerRow() throws Exception {
    Path in = tmp.resolve("hourly.csv");
    List<String> lines = new ArrayList<>(List.of("timestamp,value"));
    Random random = new Random(9);
    LocalDateTime t = LocalDateTime.of(2015, 1, 1, 0, 0);
    for (int i = 0; i < 24 * 28; i++, t = t.plusHours(1)) {
      double v = 500 + 200 * Math.sin(2 * Math.PI * (i % 24) / 24) + 20 * random.nextGaussian();
      if (i == 24 * 25 + 3) {
        v += 400;
      }
      lines.add(t.toString().replace('T', ' ') + ":00," + v);
    }
    lines.add("");
    Files.write(in, lines);
    Path out1 = tmp.resolve("a.csv");
    Path out2 = tmp.resolve("b.csv");
    assertThat(replay.replayFile(in, out1)).isEqualTo(24 * 28);
    replay.replayFile(in, out2);
    assertThat(Files.readString(out1)).isEqualTo(Files.readString(out2));
    List<String> scored = Files.readAllLines(out1);
    assertThat(scored).hasSize(24 * 28 + 1);
    double spike = Double.parseDouble(scored.get(24 * 25 + 4).split(",")[2]);
    assertThat(spike).isGreaterThan(0.999);
    long quietAlerts =
        scored.stream()
            .skip(24 * 7)
            .filter(l -> Double.parseDouble(l.split(",")[2]) >= 0.999)
            .count();
    assertThat(quietAlerts).as("only the spike reaches 0.999 after the first week").isEqualTo(1);
  }

  @Test
  void scoresDuplicateAndOutOfOrderRowsZeroLikeLateWindows() throws Exception {
    Path in = tmp.resolve("late.csv");
    Files.writeString(
        in,
        "timestamp,value\n2020-01-01 00:05:00,1\n2020-01-01 00:10:00,2\n"
            + "2020-01-01 00:10:00,3\n2020-01-01 00:00:00,4\n2020-01-01 00:15:00,5\n");
    Path out = tmp.resolve("late.scored.csv");
    assertThat(replay.replayFile(in, out)).isEqualTo(5);
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "timestamp,value,anomaly_score",
            "2020-01-01 00:05:00,1,0.000000",
            "2020-01-01 00:10:00,2,0.000000",
            "2020-01-01 00:10:00,3,0.000000",
            "2020-01-01 00:00:00,4,0.000000",
            "2020-01-01 00:15:00,5,0.000000");
    assertThat(SeriesReplay.inferStep(new long[] {300_000, 600_000, 600_000, 0, 900_000}))
        .isEqualTo(300_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "wrong header|time,value\\n|:1: expected header 'timestamp,value'",
        "three columns|timestamp,value\\n2020-01-01 00:00:00,1,2\\n|:2: expected 2 columns",
        "bad number|timestamp,value\\n2020-01-01 00:00:00,abc\\n|:2: bad value 'abc'",
        "not finite|timestamp,value\\n2020-01-01 00:00:00,NaN\\n|:2: value 'NaN' is not a finite",
        "bad date|timestamp,value\\n2020-02-30 00:00:00,1\\n|:2: bad timestamp '2020-02-30 00:00:00'",
        "empty|''|:1: empty file"
      })
  void rejectsMalformedInputNamingTheLine(String name, String content, String message)
      throws Exception {
    Path in = tmp.resolve("in.csv");
    Files.writeString(in, content.replace("\\n", "\n").replace("''", ""));
    Path out = tmp.resolve("out.csv");
    assertThatThrownBy(() -> replay.replayFile(in, out))
        .isInstanceOf(ReplayException.class)
        .hasMessageStartingWith(in.toString())
        .hasMessageContaining(message);
    assertThat(out).doesNotExist();
  }
}
