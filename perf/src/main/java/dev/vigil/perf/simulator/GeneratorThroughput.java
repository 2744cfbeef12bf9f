package dev.vigil.perf.simulator;

import dev.vigil.simulator.ControlPlane;
import dev.vigil.simulator.PlatformGenerator;
import dev.vigil.simulator.Scenario;
import dev.vigil.simulator.Simulator;
import dev.vigil.simulator.SimulatorSettings;
import dev.vigil.simulator.TelemetrySink;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How fast the simulator generates telemetry: spans, metric points and log records per second of
 * one thread, for a platform of N services, in two runs over the same simulated period: generation
 * alone (the ceiling), then generation plus the OpenTelemetry SDK's own OTLP protobuf encoding of
 * every slice (what the OTLP exporters do before the network). Nothing is sent.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar dev.vigil.perf.simulator.GeneratorThroughput SERVICES RATE MINUTES
 * </pre>
 */
public final class GeneratorThroughput {
  private GeneratorThroughput() {}

  /** Runs the harness; arguments: services, requests per minute, simulated minutes. */
  public static void main(String[] args) {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 300;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    run(services, rate, 10, false); // warm-up of the JIT
    Result ceiling = run(services, rate, minutes, false);
    Result encoded = run(services, rate, minutes, true);
    System.out.printf(
        "platform %d services, %.0f requests/min, %d simulated minutes%n", services, rate, minutes);
    ceiling.print("generation only");
    encoded.print("generation + OTLP encoding");
  }

  private static Result run(int services, double rate, int minutes, boolean encode) {
    CountingSink sink = new CountingSink(encode);
    SimulatorSettings settings =
        new SimulatorSettings(
            PlatformGenerator.ecommerce(services, 1),
            new Scenario("perf", Optional.of(Duration.ofMinutes(minutes)), List.of()),
            Instant.parse("2026-06-01T12:00:00Z"),
            Duration.ZERO,
            0,
            rate,
            0,
            1);
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    new Simulator(settings, sink, ControlPlane.none()).run();
    return new Result(System.nanoTime() - t0, cpuNanos() - cpu0, sink);
  }

  private static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private record Result(long wallNanos, long cpuNanos, CountingSink sink) {
    void print(String label) {
      double s = cpuNanos / 1e9;
      System.out.printf(
          "%-28s %,10d spans %,8d points %,8d logs in %.2f s CPU (%.2f s wall): %,.0f spans/s,"
              + " %,.0f points/s, %,.0f logs/s, %,.0f items/s; %,.0f bytes of OTLP%n",
          label,
          sink.spans,
          sink.points,
          sink.logs,
          s,
          wallNanos / 1e9,
          sink.spans / s,
          sink.points / s,
          sink.logs / s,
          (sink.spans + sink.points + sink.logs) / s,
          (double) sink.bytes);
    }
  }

  /** Counts, and optionally encodes with the SDK's OTLP marshalers. */
  private static final class CountingSink implements TelemetrySink {
    private final boolean encode;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
    long spans;
    long points;
    long logs;
    long bytes;

    CountingSink(boolean encode) {
      this.encode = encode;
    }

    @Override
    public boolean export(List<SpanData> s, List<MetricData> m, List<LogRecordData> l) {
      spans += s.size();
      m.forEach(metric -> points += metric.getData().getPoints().size());
      logs += l.size();
      if (encode) {
        try {
          buffer.reset();
          TraceRequestMarshaler.create(s).writeBinaryTo(buffer);
          MetricsRequestMarshaler.create(m).writeBinaryTo(buffer);
          LogsRequestMarshaler.create(l).writeBinaryTo(buffer);
          bytes += buffer.size();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return true;
    }

    @Override
    public void close() {}
  }
}
