package dev.vigil.enrichment.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The enrichment stream's own counters, exposed on /metrics as {@code vigil_enrichment_*_total}.
 * Every input unit that does not reach an output window is counted in one of them.
 */
public final class EnrichmentMetrics {
  private final MeterRegistry registry;
  private final Counter unknownServices;
  private final Counter cumulativeResets;
  private final Counter unpairedSpans;
  private final Counter pendingSpansRefused;

  /** Registers the counters in {@code registry}. */
  public EnrichmentMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    unknownServices =
        Counter.builder("vigil.enrichment.unknown.service.windows")
            .description("Signal windows emitted for a service without a catalog entry")
            .register(registry);
    cumulativeResets =
        Counter.builder("vigil.enrichment.cumulative.resets")
            .description("Cumulative series that restarted (new start time or a smaller value)")
            .register(registry);
    unpairedSpans =
        Counter.builder("vigil.enrichment.spans.unpaired")
            .description("Spans that expired from pairing state without forming an edge")
            .register(registry);
    pendingSpansRefused =
        Counter.builder("vigil.enrichment.spans.pending.refused")
            .description("Spans not kept for pairing because the pairing state was full")
            .register(registry);
  }

  /** Input units folded into windows: data points, spans or log records, by source. */
  public Counter accepted(Source source) {
    return counter("vigil.enrichment.accepted", "Input units folded into a window", source);
  }

  /** Input units dropped because their window had closed (older than window end + grace). */
  public Counter late(Source source) {
    return counter(
        "vigil.enrichment.late",
        "Input units dropped: their window closed before they came",
        source);
  }

  /**
   * Output records (signal or edge windows) emitted again at the end of the grace with revision 1,
   * because input reached their series after the window's first emission.
   */
  public Counter revisions(Source source) {
    return counter(
        "vigil.enrichment.window.revisions",
        "Windows emitted again with revision 1: input came after their first emission",
        source);
  }

  /**
   * Output records emitted for the first time at the end of the grace (revision 0), because their
   * series only received input after the window's first emission.
   */
  public Counter delayed(Source source) {
    return counter(
        "vigil.enrichment.window.delayed",
        "Windows of series first seen after the window's first emission, emitted at the end of the"
            + " grace",
        source);
  }

  /** Input units folded into a service's overflow series by the cardinality guard. */
  public Counter overflow(Source source) {
    return counter(
        "vigil.enrichment.overflow",
        "Input units folded into the overflow series (cardinality guard)",
        source);
  }

  /** Input units ignored as invalid (no value, not finite, unsupported type). */
  public Counter invalid(Source source) {
    return counter(
        "vigil.enrichment.invalid", "Input units ignored: no usable value or type", source);
  }

  /**
   * Raw records refused whole and sent to the DLQ, by source and reason ({@code string_too_long},
   * {@code time_out_of_range}).
   */
  public Counter rejected(Source source, String reason) {
    return Counter.builder("vigil.enrichment.rejected")
        .description("Raw records sent to the DLQ by the input checks, by reason")
        .tag("source", source.label())
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Resource batches split from raw records, by source and path: {@code local} went to its
   * service's windows in the same task, {@code repartitioned} crossed the repartition topic. Many
   * of the second mean the producer does not key records by service as the bridge does.
   */
  public Counter batches(Source source, boolean local) {
    return Counter.builder("vigil.enrichment.batches")
        .description("Resource batches split from raw records, by path to their service's windows")
        .tag("source", source.label())
        .tag("path", local ? "local" : "repartitioned")
        .register(registry);
  }

  /** Signal windows emitted without a catalog entry for their service. */
  public Counter unknownServices() {
    return unknownServices;
  }

  /** Cumulative series restarts. */
  public Counter cumulativeResets() {
    return cumulativeResets;
  }

  /** Spans that expired unpaired. */
  public Counter unpairedSpans() {
    return unpairedSpans;
  }

  /** Spans refused by the full pairing state. */
  public Counter pendingSpansRefused() {
    return pendingSpansRefused;
  }

  private Counter counter(String name, String description, Source source) {
    return Counter.builder(name)
        .description(description)
        .tag("source", source.label())
        .register(registry);
  }

  /** Where an input unit came from. */
  public enum Source {
    METRICS("metrics"),
    SPANS("spans"),
    LOGS("logs"),
    EDGES("edges");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** The metric tag value. */
    public String label() {
      return label;
    }
  }
}
