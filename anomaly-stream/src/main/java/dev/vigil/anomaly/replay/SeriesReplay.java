package dev.vigil.anomaly.replay;

import dev.vigil.anomaly.detector.Assessment;
import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.detector.SeasonalDetector;
import dev.vigil.anomaly.detector.SeasonalState;
import dev.vigil.anomaly.detector.Sense;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
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
  public static final String INPUT_HEADER = "timestamp,value";

  /** Header of an output file: {@value}. */
  public static final String OUTPUT_HEADER = "timestamp,value,anomaly_score";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final long DEFAULT_STEP = 60_000L;
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
    List<Row> rows = read(in);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + out.getFileName(), ".tmp");
    try {
      int late;
      try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        late = score(rows, writer);
      }
      if (late > 0) {
        LOGGER.warn(
            "{}: {} rows not after the row before them (duplicate or out-of-order time) were"
                + " scored 0, as the stream ignores late windows",
            in,
            late);
      }
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
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
    List<Path> files;
    try (Stream<Path> walk = Files.walk(inDir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".csv"))
              .sorted()
              .toList();
    }
    Path absOut = outDir.toAbsolutePath().normalize();
    for (Path file : files) {
      if (file.toAbsolutePath().normalize().startsWith(absOut)) {
        continue; // an output folder inside the input folder is not input
      }
      replayFile(file, outDir.resolve(inDir.relativize(file).toString()));
    }
    return files;
  }

  /** Scores parsed rows and writes the output CSV, header included. */
  int score(List<Row> rows, Writer out) throws IOException {
    long[] timestamps = rows.stream().mapToLong(Row::epochMillis).toArray();
    SeasonalState state = detector.newState(inferStep(timestamps), 0);
    BufferedWriter writer = new BufferedWriter(out);
    writer.write(OUTPUT_HEADER);
    writer.write('\n');
    int late = 0;
    for (Row row : rows) {
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
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 1; i < timestamps.length; i++) {
      long gap = timestamps[i] - timestamps[i - 1];
      if (gap > 0) {
        counts.merge(gap, 1, Integer::sum);
      }
    }
    long best = DEFAULT_STEP;
    int bestCount = 0;
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  /** Reads and validates a whole input file. */
  static List<Row> read(Path in) throws ReplayException, IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      if (header == null) {
        throw new ReplayException(in, 1, "empty file; expected header '" + INPUT_HEADER + "'");
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (!header.strip().equals(INPUT_HEADER)) {
        throw new ReplayException(
            in, 1, "expected header '" + INPUT_HEADER + "', found '" + header.strip() + "'");
      }
      int lineNo = 1;
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        rows.add(parse(in, lineNo, line));
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ReplayException(in, "not UTF-8 text", e);
    }
    return rows;
  }

  private static Row parse(Path in, int lineNo, String line) throws ReplayException {
    String[] cells = line.split(",", -1);
    if (cells.length != 2) {
      throw new ReplayException(
          in, lineNo, "expected 2 columns (timestamp,value), found " + cells.length);
    }
    String ts = cells[0].strip();
    String v = cells[1].strip();
    long millis;
    try {
      millis = LocalDateTime.parse(ts, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ReplayException(
          in, lineNo, "bad timestamp '" + ts + "'; expected YYYY-MM-DD HH:MM:SS (UTC)");
    }
    double value;
    try {
      value = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ReplayException(in, lineNo, "bad value '" + v + "'; expected a number");
    }
    if (!Double.isFinite(value)) {
      throw new ReplayException(in, lineNo, "value '" + v + "' is not a finite number");
    }
    return new Row(ts, v, millis, value);
  }

  /** One input row: the text as given and its parsed values. */
  record Row(String timestampText, String valueText, long epochMillis, double value) {}
}
