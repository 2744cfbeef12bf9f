package dev.vigil.deploy.cli;

import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.anomaly.replay.ReplayException;
import dev.vigil.anomaly.replay.SeriesReplay;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay}: recorded data through the live code paths, for backtesting. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Run recorded data through Vigil's detectors in event time, for backtesting.",
    subcommands = {
      ReplayCommand.Series.class,
      ReplayOtlpCommand.class,
      ReplayForecastCommand.class
    })
final class ReplayCommand implements Runnable {
  /** Exit status of a malformed input file. */
  static final int BAD_INPUT = 3;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code vigil replay series}: the anomaly stream's detector over CSV series. */
  @Command(
      name = "series",
      mixinStandardHelpOptions = true,
      description = {
        "Score CSV series with the anomaly stream's detector and default settings.",
        "",
        "Input: header 'timestamp,value', timestamps 'YYYY-MM-DD HH:MM:SS' (UTC) in time order,",
        "a fixed step of any size (inferred), missing steps allowed. Output: header",
        "'timestamp,value,anomaly_score', one row per input row, score in [0,1]. With a folder,",
        "every *.csv under it is replayed into the same relative path under --out. A malformed",
        "file stops the replay with its name and line (exit 3) and leaves no output for it."
      })
  static final class Series implements Callable<Integer> {
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

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      SeriesReplay replay = new SeriesReplay(DetectorSettings.defaults());
      try {
        if (Files.isDirectory(in)) {
          List<Path> files = replay.replayDirectory(in, out);
          err.printf("vigil replay series: %d files scored into %s%n", files.size(), out);
        } else if (Files.isRegularFile(in)) {
          int rows = replay.replayFile(in, out);
          err.printf("vigil replay series: %d rows scored into %s%n", rows, out);
        } else {
          err.printf("vigil replay series: %s: no such file or folder%n", in);
          return BAD_INPUT;
        }
      } catch (ReplayException e) {
        err.println("vigil replay series: " + e.getMessage());
        return BAD_INPUT;
      }
      err.flush();
      return 0;
    }
  }
}
