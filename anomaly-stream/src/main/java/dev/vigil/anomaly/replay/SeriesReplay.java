package dev.vigil.anomaly.replay;

import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.detector.Sense;
import dev.vigil.runtime.replay.ReplayInputException;
import dev.vigil.runtime.replay.SeriesCsv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the anomaly stream's detector, with the stream's settings, over CSV series: the contract of
 * {@code vigil replay series} (see REPLAY.md).
 *
 * <p>Input: header {@code timestamp,value}, timestamps {@code YYYY-MM-DD HH:MM:SS} (UTC) in time
 * order, on a fixed step of any size (inferred: the most frequent gap) with missing steps allowed.
 * A row not after the one before it (a duplicate or out-of-order time) is treated as the stream
 * treats a late window: scored 0, not learned from, and reported in a warning. Output: header
 * {@code timestamp,value,anomaly_score}, one row per input row in the same order, the timestamp and
 * value copied verbatim, the score with six decimals. The series is scored as a signal of unknown
 * type: both directions are anomalous. The output file is written to a temporary file and moved
 * into place, so a bad input never leaves a partial output behind.
 */
public final class SeriesReplay {
  /** Header of an input file: {@value}. */
  public static final String INPUT_HEADER = SeriesCsv.HEADER;

  /** Header of an output file: {@value}. */
  public static final String OUTPUT_HEADER = "timestamp,value,anomaly_score";

  private static final Logger LOGGER = LoggerFactory.getLogger(SeriesReplay.class);

  private final SeasonalDetector detector;

  /** A replay with the given detector settings (the stream's defaults unless configured). */
  public SeriesReplay(DetectorSettings settings) {
    this.detector = new SeasonalDetector(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Replays one file.
   *
   * @return rows written
   * @throws ReplayException if the input is malformed (nothing is written then)
   * @throws IOException if a file cannot be read or written
   */
  public int replayFile(Path in, Path out) throws ReplayException, IOException {
    List<SeriesCsv.Row> rows = read(in);
    int[] late = {0};
    SeriesCsv.writeAtomically(out, writer -> late[0] = score(rows, writer));
    if (late[0] > 0) {
      LOGGER.warn(
          "{}: {} rows not after the row before them (duplicate or out-of-order time) were"
              + " scored 0, as the stream ignores late windows",
          in,
          late[0]);
    }
    return rows.size();
  }

  /**
   * Replays every {@code *.csv} under {@code inDir} into the same relative path under {@code
   * outDir}, in sorted order. Stops at the first malformed file.
   *
   * @return the input files replayed
   */
  public List<Path> replayDirectory(Path inDir, Path outDir) throws ReplayException, IOException {
    List<Path> files = SeriesCsv.inputFiles(inDir, outDir);
    for (Path file : files) {
      replayFile(file, outDir.resolve(inDir.relativize(file).toString()));
    }
    return files;
  }

  /** Scores parsed rows and writes the output CSV, header included. */
  int score(List<SeriesCsv.Row> rows, Writer out) throws IOException {
    long[] timestamps = rows.stream().mapToLong(SeriesCsv.Row::epochMillis).toArray();
    SeasonalState state = detector.newState(inferStep(timestamps), 0);
    BufferedWriter writer = new BufferedWriter(out);
    writer.write(OUTPUT_HEADER);
    writer.write('\n');
    int late = 0;
    for (SeriesCsv.Row row : rows) {
      Assessment a = detector.assess(state, row.epochMillis(), row.value(), Sense.BOTH);
      if (a == null) {
        late++; // as the stream does with a late window: not learned from, not an anomaly
      }
      writer.write(row.timestampText());
      writer.write(',');
      writer.write(row.valueText());
      writer.write(',');
      writer.write(String.format(Locale.ROOT, "%.6f", a == null ? 0.0 : a.score()));
      writer.write('\n');
    }
    writer.flush();
    return late;
  }

  /** The step of a series: its most frequent gap, the smaller on a tie; 1 minute if unknown. */
  static long inferStep(long[] timestamps) {
    return SeriesCsv.inferStep(timestamps);
  }

  /** Reads and validates a whole input file. */
  static List<SeriesCsv.Row> read(Path in) throws ReplayException, IOException {
    try {
      return SeriesCsv.read(in);
    } catch (ReplayInputException e) {
      throw new ReplayException(e);
    }
  }
}
