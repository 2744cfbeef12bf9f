package dev.vigil.perf.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a JFR recording's execution samples: samples per thread (names with
 * their ids stripped), and for the threads whose name contains a filter the hottest methods, self
 * (top frame) and inclusive (anywhere on the stack).
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.pipeline.JfrTop FILE.jfr [enrichment] [25]
 * </pre>
 */
public final class JfrTop {
  private JfrTop() {}

  /** Prints the three tables. */
  public static void main(String[] args) throws Exception {
    String filter = args.length > 1 ? args[1] : "enrichment";
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int total = 0;
    int filtered = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      total++;
      String thread = event.getThread("sampledThread").getJavaName();
      String group = thread == null ? "?" : normalise(thread);
      threads.merge(group, 1, Integer::sum);
      if (thread == null || !thread.contains(filter)) {
        continue;
      }
      filtered++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        self.merge(name(frames.get(0)), 1, Integer::sum);
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (seen.add(name)) {
          inclusive.merge(name, 1, Integer::sum);
        }
      }
    }
    System.out.printf("%,d execution samples%n%nby thread:%n", total);
    print(threads, total, top);
    System.out.printf("%nthreads containing '%s': %,d samples; self:%n", filter, filtered);
    print(self, filtered, top);
    System.out.printf("%ninclusive:%n");
    print(inclusive, filtered, top * 2);
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  private static String normalise(String thread) {
    return thread
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
        .replaceAll("\\d+", "N");
  }

  private static void print(Map<String, Integer> counts, int total, int top) {
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "%6.1f%%  %,7d  %s%n", 100.0 * e.getValue() / total, e.getValue(), e.getKey()));
  }
}
