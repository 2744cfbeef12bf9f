package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay series} against a golden file: 4 days of 5-minute points (a daily cycle, an
 * hour of missing rows, a spike, then a lasting shift), scored exactly as committed. Regenerate the
 * golden with {@code -Dvigil.golden.update=true} only when a detector change is intended.
 */
class ReplayCommandTest {
  private static final Path GOLDEN_IN = Path.of("src/test/resources/replay/series.csv");
  private static final Path GOLDEN_OUT = Path.of("src/test/resources/replay/series.scored.csv");

  @TempDir Path tmp;

  @Test
  void scoresSeriesExactlyAsTheGoldenFile() throws Exception {
    Path out = tmp.resolve("scored.csv");
    Result result = run("replay", "series", "--in", GOLDEN_IN.toString(), "--out", out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    if (Boolean.getBoolean("vigil.golden.update")) {
      Files.copy(out, GOLDEN_OUT, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> lines = Files.readAllLines(out);
    List<String> input = Files.readAllLines(GOLDEN_IN);
    assertThat(lines).hasSameSizeAs(input);
    assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score");
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i)).startsWith(input.get(i) + ",");
    }
    assertThat(Files.readString(out)).isEqualTo(Files.readString(GOLDEN_OUT));
    assertThat(result.err()).contains("1188 rows scored");
  }

  @Test
  void replaysAFolderIntoTheSameLayout() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("aws"));
    Files.copy(GOLDEN_IN, in.resolve("aws/cpu.csv"));
    Files.copy(GOLDEN_IN, in.resolve("taxi.csv"));
    Files.writeString(in.resolve("notes.txt"), "not a series");
    Path out = tmp.resolve("out");
    Result result = run("replay", "series", "--in", in.toString(), "--out", out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    assertThat(Files.readString(out.resolve("aws/cpu.csv")))
        .isEqualTo(Files.readString(GOLDEN_OUT));
    assertThat(Files.readString(out.resolve("taxi.csv"))).isEqualTo(Files.readString(GOLDEN_OUT));
    assertThat(out.resolve("notes.txt")).doesNotExist();
  }

  @Test
  void rejectsBadInputNamingFileAndLineWithoutWritingOutput() throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(
        bad,
        "timestamp,value\n2026-03-02 00:00:00,1.0\n2026-03-02 00:05,2.0\n",
        StandardCharsets.UTF_8);
    Path out = tmp.resolve("bad.scored.csv");
    Result result = run("replay", "series", "--in", bad.toString(), "--out", out.toString());
    assertThat(result.status()).isEqualTo(ReplayCommand.BAD_INPUT);
    assertThat(result.err())
        .contains(bad + ":3: bad timestamp '2026-03-02 00:05'")
        .contains("YYYY-MM-DD HH:MM:SS");
    assertThat(out).doesNotExist();
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
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
