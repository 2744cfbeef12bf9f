package dev.vigil.deploy.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Every request of a folder of recorded files, merged in event-time order. Each file is read
 * forward once and holds one parsed line in memory, so a folder of any size replays in constant
 * memory; a file's own order is kept where its times go backwards (a Collector writes roughly in
 * time order, and enrichment's grace period absorbs the rest).
 */
final class TimeOrderedLines implements AutoCloseable {
  private record Head(OtlpLine line, OtlpLineFile file, int order) {}

  private final List<OtlpLineFile> files = new ArrayList<>();
  private final PriorityQueue<Head> heads =
      new PriorityQueue<>(
          Comparator.comparingLong((Head h) -> h.line().timeNanos()).thenComparingInt(Head::order));

  /**
   * Opens every regular, non-hidden file under {@code folder} (sub-folders included, in name order)
   * and reads its first line.
   *
   * @throws ReplayInputException if the folder has no files or a first line is not OTLP
   */
  TimeOrderedLines(Path folder) throws IOException, ReplayInputException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(folder)) {
      paths =
          walk.filter(Files::isRegularFile)
              .filter(p -> !folder.relativize(p).toString().startsWith("."))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (paths.isEmpty()) {
      throw new ReplayInputException(folder + ": no files to replay");
    }
    for (Path path : paths) {
      OtlpLineFile file = new OtlpLineFile(path, folder.relativize(path).toString());
      files.add(file);
      advance(file, files.size());
    }
  }

  /** Number of files being read. */
  int fileCount() {
    return files.size();
  }

  /** The earliest line among the files' next ones, or null when all are drained. */
  OtlpLine next() throws ReplayInputException {
    Head head = heads.poll();
    if (head == null) {
      return null;
    }
    advance(head.file(), head.order());
    return head.line();
  }

  /** Characters read from all files so far. */
  long bytesRead() {
    return files.stream().mapToLong(OtlpLineFile::bytesRead).sum();
  }

  private void advance(OtlpLineFile file, int order) throws ReplayInputException {
    OtlpLine line = file.next();
    if (line != null) {
      heads.add(new Head(line, file, order));
    }
  }

  @Override
  public void close() throws IOException {
    for (OtlpLineFile file : files) {
      file.close();
    }
  }
}
