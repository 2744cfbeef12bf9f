package dev.vigil.runtime.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
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
import java.util.stream.Stream;

/**
 * The CSV series format of {@code vigil replay} (REPLAY.md): header {@code timestamp,value},
 * timestamps {@code YYYY-MM-DD HH:MM:SS} in UTC, one finite number per row, blank lines ignored. A
 * malformed file is rejected as a whole with its name and line, before anything is written.
 */
public final class SeriesCsv {
  /** Header of an input file: {@value}. */
  public static final String HEADER = "timestamp,value";

  /** The step assumed for a series with fewer than two distinct timestamps: {@value} ms. */
  public static final long DEFAULT_STEP = 60_000L;

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private SeriesCsv() {}

  /**
   * Reads and checks a whole input file.
   *
   * @throws ReplayInputException naming the file and line of the first malformed row
   * @throws IOException if the file cannot be read
   */
  public static List<Row> read(Path in) throws ReplayInputException, IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      if (header == null) {
        throw new ReplayInputException(in, 1, "empty file; expected header '" + HEADER + "'");
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (!header.strip().equals(HEADER)) {
        throw new ReplayInputException(
            in, 1, "expected header '" + HEADER + "', found '" + header.strip() + "'");
      }
      int lineNo = 1;
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (!line.isBlank()) {
          rows.add(parse(in, lineNo, line));
        }
      }
    } catch (MalformedInputException e) {
      throw new ReplayInputException(in, "not UTF-8 text", e);
    }
    return rows;
  }

  /** The step of a series: its most frequent positive gap, the smaller on a tie. */
  public static long inferStep(long[] timestamps) {
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

  /** A timestamp in the format of the files. */
  public static String format(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
  }

  /**
   * Writes {@code out} through a temporary file moved into place, so a failure never leaves a
   * partial output behind.
   */
  public static void writeAtomically(Path out, WriterBody body) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + out.getFileName(), ".tmp");
    try {
      try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(writer);
      }
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Every {@code *.csv} under {@code inDir} in sorted order, leaving out those under {@code outDir}
   * (an output folder inside the input folder is not input).
   */
  public static List<Path> inputFiles(Path inDir, Path outDir) throws IOException {
    Path absOut = outDir.toAbsolutePath().normalize();
    try (Stream<Path> walk = Files.walk(inDir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".csv"))
          .filter(p -> !p.toAbsolutePath().normalize().startsWith(absOut))
          .sorted()
          .toList();
    }
  }

  private static Row parse(Path in, int lineNo, String line) throws ReplayInputException {
    String[] cells = line.split(",", -1);
    if (cells.length != 2) {
      throw new ReplayInputException(
          in, lineNo, "expected 2 columns (timestamp,value), found " + cells.length);
    }
    String ts = cells[0].strip();
    String v = cells[1].strip();
    long millis;
    try {
      millis = LocalDateTime.parse(ts, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ReplayInputException(
          in, lineNo, "bad timestamp '" + ts + "'; expected YYYY-MM-DD HH:MM:SS (UTC)");
    }
    double value;
    try {
      value = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ReplayInputException(in, lineNo, "bad value '" + v + "'; expected a number");
    }
    if (!Double.isFinite(value)) {
      throw new ReplayInputException(in, lineNo, "value '" + v + "' is not a finite number");
    }
    return new Row(lineNo, ts, v, millis, value);
  }

  /** Writes the body of an output file. */
  @FunctionalInterface
  public interface WriterBody {
    /** Writes everything to {@code writer}. */
    void write(Writer writer) throws IOException;
  }

  /**
   * One input row: its line, the text as given and the parsed values.
   *
   * @param line 1-based line number in the file
   * @param timestampText the timestamp as written
   * @param valueText the value as written
   * @param epochMillis the timestamp
   * @param value the value
   */
  public record Row(
      int line, String timestampText, String valueText, long epochMillis, double value) {}
}
