package dev.vigil.perf.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Process CPU time and heap of this JVM. */
final class Cpu {
  /** USER_HZ: the unit of /proc's task times, 100 on every Linux this runs on. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private Cpu() {}

  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Heap in use after a full collection: what stays live. */
  static long liveHeapBytes() {
    System.gc();
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }

  /**
   * CPU nanoseconds of the JIT compiler threads so far (Linux: their {@code /proc} task times). The
   * JVM's own figure, {@code CompilationMXBean.getTotalCompilationTime}, is elapsed time summed
   * over the compiler threads, which can exceed their CPU when they wait for a core: on a loaded
   * machine it once reported more JIT time than Vigil's whole CPU. Elsewhere that figure is used.
   */
  static long jitNanos() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000;
    }
    long ticks = 0;
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) all::iterator) {
        ticks += compilerTicks(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
  }

  /** utime + stime of a compiler thread ("C1 CompilerThre", "C2 CompilerThre"), else 0. */
  private static long compilerTicks(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (!stat.substring(open + 1, close).contains("CompilerThre")) {
        return 0;
      }
      // Fields after the name: state is the 1st, utime the 12th, stime the 13th (proc(5)).
      String[] fields = stat.substring(close + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0; // the thread ended while it was read
    }
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
