package dev.vigil.deploy.cli;

import dev.vigil.forecast.replay.ForecastReplay;
import dev.vigil.runtime.replay.ReplayInputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay forecast}: the forecast stream's embedded model over CSV series. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = {
      "Forecast CSV series with the forecast stream's embedded model (Holt-Winters).",
      "",
      "Input: header 'timestamp,value', timestamps 'YYYY-MM-DD HH:MM:SS' (UTC) in time order,",
      "a fixed step of any size (inferred), missing steps allowed. Output: header",
      "'origin,timestamp,mean,lo,hi': for each origin, H rows for steps 1..H, lo/hi the 80%",
      "interval. One origin (the last point) unless --every N adds one every N steps, each",
      "using only the data up to it. Seasonal periods follow the step (1440 for minutely data,",
      "24 and 168 for hourly) unless --season is given. With a folder, every *.csv under it is",
      "replayed into the same relative path under --out. A malformed or too short file stops",
      "the replay with its name and line (exit 3) and leaves no output for it."
    })
final class ReplayForecastCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE|DIR",
      description = "A CSV file, or a folder of them.")
  Path in;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE|DIR",
      description = "Output file, or folder when --in is a folder.")
  Path out;

  @Option(
      names = "--horizon",
      required = true,
      paramLabel = "H",
      description = "Points forecast per origin (steps of the series).")
  int horizon;

  @Option(
      names = "--every",
      paramLabel = "N",
      defaultValue = "0",
      description = "Add a rolling origin every N steps (0: the last point only; default).")
  int every;

  @Option(
      names = "--season",
      paramLabel = "S[,S]",
      split = ",",
      description = "Seasonal periods in steps, at most two (0 for none), e.g. 24,168.")
  List<Integer> season;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (horizon < 1 || every < 0) {
      err.println("vigil replay forecast: --horizon must be >= 1 and --every >= 0");
      return 2;
    }
    int[] periods = null;
    if (season != null) {
      periods = season.stream().mapToInt(Integer::intValue).filter(p -> p != 0).toArray();
      if (periods.length > 2 || season.stream().anyMatch(p -> p < 0 || p == 1)) {
        err.println("vigil replay forecast: --season takes at most two periods of 2+ steps, or 0");
        return 2;
      }
    }
    ForecastReplay replay = new ForecastReplay(horizon, every, periods);
    try {
      if (Files.isDirectory(in)) {
        List<Path> files = replay.replayDirectory(in, out);
        err.printf("vigil replay forecast: %d files forecast into %s%n", files.size(), out);
      } else if (Files.isRegularFile(in)) {
        int origins = replay.replayFile(in, out);
        err.printf(
            "vigil replay forecast: %d origins of %d steps into %s%n", origins, horizon, out);
      } else {
        err.printf("vigil replay forecast: %s: no such file or folder%n", in);
        return ReplayCommand.BAD_INPUT;
      }
    } catch (ReplayInputException e) {
      err.println("vigil replay forecast: " + e.getMessage());
      return ReplayCommand.BAD_INPUT;
    }
    err.flush();
    return 0;
  }
}
