package dev.vigil.perf.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** Process CPU time and heap of this JVM. */
final class Cpu {
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

  /** Milliseconds the JIT compiler threads have spent compiling since the JVM started. */
  static long jitMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
