package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay forecast} against a golden file: the 5-minute points of {@code series.csv}
 * (2026-03-02 00:00 to 03-06 03:55; daily season: 288 steps, warm-up 576), horizon 12, a rolling
 * origin every 288 steps: origins at midnight of 03-04, 03-05 and 03-06, and the last point.
 * Regenerate the golden with {@code -Dvigil.golden.update=true} only when a model change is
 * intended.
 */
class ReplayForecastCommandTest {
  private static final Path GOLDEN_IN = Path.of("src/test/resources/replay/series.csv");
  private static final Path GOLDEN_OUT = Path.of("src/test/resources/replay/series.forecast.csv");

  @TempDir Path tmp;

  @Test
  void forecastsExactlyAsTheGoldenFileAndDeterministically() throws Exception {
    Path out = tmp.resolve("forecast.csv");
    Result result =
        run(
            "replay",
            "forecast",
            "--in",
            GOLDEN_IN.toString(),
            "--horizon",
            "12",
            "--every",
            "288",
            "--out",
            out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    if (Boolean.getBoolean("vigil.golden.update")) {
      Files.copy(out, GOLDEN_OUT, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("origin,timestamp,mean,lo,hi");
    assertThat(lines).hasSize(1 + 4 * 12);
    assertThat(lines.get(1)).startsWith("2026-03-04 00:00:00,2026-03-04 00:05:00,");
    assertThat(lines.get(12)).startsWith("2026-03-04 00:00:00,2026-03-04 01:00:00,");
    assertThat(lines.get(13)).startsWith("2026-03-05 00:00:00,2026-03-05 00:05:00,");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double mean = Double.parseDouble(cells[2]);
      assertThat(Double.parseDouble(cells[3])).isLessThan(mean);
      assertThat(Double.parseDouble(cells[4])).isGreaterThan(mean);
    }
    assertThat(result.err()).contains("4 origins of 12 steps");
    assertThat(Files.readString(out)).isEqualTo(Files.readString(GOLDEN_OUT));

    Path again = tmp.resolve("again.csv");
    run(
        "replay",
        "forecast",
        "--in",
        GOLDEN_IN.toString(),
        "--horizon",
        "12",
        "--every",
        "288",
        "--out",
        again.toString());
    assertThat(Files.readString(again)).isEqualTo(Files.readString(out));
  }

  @Test
  void forecastsOnlyTheLastPointByDefaultAndReplaysFolders() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("aws"));
    Files.copy(GOLDEN_IN, in.resolve("aws/cpu.csv"));
    Path out = tmp.resolve("out");
    Result result =
        run("replay", "forecast", "--in", in.toString(), "--horizon", "6", "--out", out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("aws/cpu.csv"));
    assertThat(lines).hasSize(7);
    List<String> input = Files.readAllLines(GOLDEN_IN);
    String last = input.get(input.size() - 1).split(",")[0];
    assertThat(lines.subList(1, 7)).allSatisfy(l -> assertThat(l).startsWith(last + ","));
  }

  @Test
  void rejectsBadInputNamingFileAndLineWithoutWritingOutput() throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(
        bad,
        "timestamp,value\n2026-03-02 00:00:00,1.0\n2026-03-02 00:05:00,x\n",
        StandardCharsets.UTF_8);
    Path out = tmp.resolve("bad.forecast.csv");
    Result result =
        run(
            "replay",
            "forecast",
            "--in",
            bad.toString(),
            "--horizon",
            "5",
            "--out",
            out.toString());
    assertThat(result.status()).isEqualTo(ReplayCommand.BAD_INPUT);
    assertThat(result.err()).contains(bad + ":3: bad value 'x'");
    assertThat(out).doesNotExist();
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void rejectsASeriesTooShortForTheWarmup() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int m = 0; m < 20; m++) {
      csv.append(String.format("2026-03-02 00:%02d:00,%d%n", m, m));
    }
    Path shortFile = tmp.resolve("short.csv");
    Files.writeString(shortFile, csv.toString(), StandardCharsets.UTF_8);
    Path out = tmp.resolve("short.forecast.csv");
    Result result =
        run(
            "replay",
            "forecast",
            "--in",
            shortFile.toString(),
            "--horizon",
            "5",
            "--out",
            out.toString());
    assertThat(result.status()).isEqualTo(ReplayCommand.BAD_INPUT);
    assertThat(result.err()).contains(shortFile + ":21: too short to forecast: 20 steps");
    assertThat(out).doesNotExist();
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = VigilCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int status = cmd.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  private record Result(int status, String out, String err) {}
}
