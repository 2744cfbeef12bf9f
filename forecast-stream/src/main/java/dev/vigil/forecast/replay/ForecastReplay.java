package dev.vigil.forecast.replay;

import dev.vigil.forecast.model.HoltWinters;
import dev.vigil.forecast.model.HoltWintersState;
import dev.vigil.forecast.model.Prediction;
import dev.vigil.forecast.model.Seasonality;
import dev.vigil.runtime.replay.ReplayInputException;
import dev.vigil.runtime.replay.SeriesCsv;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the forecast stream's embedded model over CSV series: the contract of {@code vigil replay
 * forecast} (REPLAY.md).
 *
 * <p>Input: {@code timestamp,value} as {@link SeriesCsv} reads it; the step is inferred. Seasonal
 * periods are chosen from the step ({@link Seasonality#forStep}: 1440 for minutely data, 24 and 168
 * for hourly data) unless given, and a period is dropped while the data is too short for its
 * warm-up (two of the longest period, then one point). A row not after the one before it is
 * ignored, as the stream ignores a late window. Output: header {@code origin,timestamp,mean,lo,hi};
 * per origin, {@code horizon} rows for steps 1..horizon, {@code lo}/{@code hi} the 80% interval,
 * numbers with six significant digits. Origins: the last row, and with {@code every > 0} every row
 * whose step from the first row is a multiple of {@code every}, once the model is warm; each uses
 * only the data up to it. Deterministic; no wall clock; a malformed file produces no output.
 */
public final class ForecastReplay {
  /** Header of an output file: {@value}. */
  public static final String OUTPUT_HEADER = "origin,timestamp,mean,lo,hi";

  private static final MathContext DIGITS = new MathContext(6);
  private static final Logger LOGGER = LoggerFactory.getLogger(ForecastReplay.class);

  private final int horizon;
  private final int every;
  private final int[] season;

  /**
   * A replay.
   *
   * @param horizon points per origin
   * @param every steps between rolling origins; 0 for the last point only
   * @param season seasonal periods in steps (empty for none), or null to choose them from the step
   */
  public ForecastReplay(int horizon, int every, int[] season) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    if (every < 0) {
      throw new IllegalArgumentException("every must be >= 0, got " + every);
    }
    this.horizon = horizon;
    this.every = every;
    this.season = season == null ? null : season.clone();
  }

  /**
   * Replays one file.
   *
   * @return origins written
   * @throws ReplayInputException if the input is malformed or too short (nothing is written then)
   */
  public int replayFile(Path in, Path out) throws ReplayInputException, IOException {
    List<SeriesCsv.Row> rows = SeriesCsv.read(in);
    if (rows.isEmpty()) {
      throw new ReplayInputException(in, 1, "no rows after the header");
    }
    long[] timestamps = rows.stream().mapToLong(SeriesCsv.Row::epochMillis).toArray();
    long step = SeriesCsv.inferStep(timestamps);
    Seasonality seasonality = seasonality(in, rows, step);
    int[] origins = {0};
    int[] late = {0};
    SeriesCsv.writeAtomically(
        out,
        writer -> {
          writer.write(OUTPUT_HEADER);
          writer.write('\n');
          HoltWinters model = new HoltWinters(seasonality);
          HoltWintersState state = model.newState();
          long first = rows.get(0).epochMillis();
          for (int i = 0; i < rows.size(); i++) {
            SeriesCsv.Row row = rows.get(i);
            if (!model.update(state, row.epochMillis(), row.value())) {
              late[0]++;
              continue;
            }
            boolean last = i == rows.size() - 1;
            boolean rolling = every > 0 && (row.epochMillis() - first) / step % every == 0;
            if (state.ready() && (last || rolling)) {
              write(writer, model.forecast(state, horizon));
              origins[0]++;
            }
          }
        });
    if (late[0] > 0) {
      LOGGER.warn(
          "{}: {} rows not after the row before them were ignored, as the stream ignores late"
              + " windows",
          in,
          late[0]);
    }
    return origins[0];
  }

  /**
   * Replays every {@code *.csv} under {@code inDir} into the same relative path under {@code
   * outDir}, in sorted order. Stops at the first malformed file.
   *
   * @return the input files replayed
   */
  public List<Path> replayDirectory(Path inDir, Path outDir)
      throws ReplayInputException, IOException {
    List<Path> files = SeriesCsv.inputFiles(inDir, outDir);
    for (Path file : files) {
      replayFile(file, outDir.resolve(inDir.relativize(file).toString()));
    }
    return files;
  }

  private Seasonality seasonality(Path in, List<SeriesCsv.Row> rows, long step)
      throws ReplayInputException {
    long span = (rows.get(rows.size() - 1).epochMillis() - rows.get(0).epochMillis()) / step + 1;
    Seasonality s = season == null ? Seasonality.forStep(step) : Seasonality.of(step, season);
    // The model is ready at the first point after its warm-up window.
    while (season == null && s.periods().length > 0 && s.warmupSteps() >= span) {
      s = s.withoutLongest();
    }
    if (s.warmupSteps() >= span) {
      SeriesCsv.Row last = rows.get(rows.size() - 1);
      throw new ReplayInputException(
          in,
          last.line(),
          "too short to forecast: "
              + span
              + " steps of "
              + step / 1000
              + " s, the model needs more than "
              + s.warmupSteps()
              + (s.periods().length == 0
                  ? ""
                  : " (two of season " + Arrays.toString(s.periods()) + "; try --season 0)"));
    }
    return s;
  }

  private static void write(Writer writer, Prediction p) throws IOException {
    String origin = SeriesCsv.format(p.origin());
    for (int i = 0; i < p.size(); i++) {
      writer.write(origin);
      writer.write(',');
      writer.write(SeriesCsv.format(p.timestamp(i)));
      writer.write(',');
      writer.write(number(p.mean()[i]));
      writer.write(',');
      writer.write(number(p.lo()[i]));
      writer.write(',');
      writer.write(number(p.hi()[i]));
      writer.write('\n');
    }
  }

  private static String number(double v) {
    return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
  }
}
