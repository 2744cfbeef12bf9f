package dev.vigil.enrichment;

import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.ConfigSources;
import dev.vigil.runtime.config.CoreConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The enrichment stream's settings, read from the process's {@link CoreConfig}, which was validated
 * against a definition that includes {@link #define} (as {@code vigil} does for every app).
 */
public final class EnrichmentConfig {
  public static final String GRACE_CONFIG = "enrichment.window.grace.ms";
  private static final String GRACE_DOC =
      "How long after the end of a 1-minute window out-of-order data is still folded in; later"
          + " data is dropped and counted in vigil_enrichment_late_total.";
  public static final String EMIT_DELAY_CONFIG = "enrichment.window.emit.delay.ms";
  private static final String EMIT_DELAY_DOC =
      "How long after the end of a 1-minute window it is first emitted (revision 0), at most the"
          + " grace. Series that receive data after that are emitted again with their final values"
          + " (revision 1) at the end of the grace; set it equal to the grace for one emission per"
          + " window.";
  public static final String DIMENSIONS_CONFIG = "enrichment.dimensions";
  private static final String DIMENSIONS_DOC =
      "Attribute keys of metric data points kept as series dimensions; every other attribute is"
          + " aggregated away.";
  public static final String MAX_SERIES_CONFIG = "enrichment.max.series.per.service";
  private static final String MAX_SERIES_DOC =
      "Distinct series one service may have in one window; the rest fold into its 'overflow'"
          + " series and count in vigil_enrichment_overflow_total.";
  public static final String CUMULATIVE_TTL_CONFIG = "enrichment.cumulative.ttl.ms";
  private static final String CUMULATIVE_TTL_DOC =
      "How long the last value of a cumulative series is kept without an update.";
  public static final String PAIRING_TTL_CONFIG = "enrichment.edges.pairing.ttl.ms";
  private static final String PAIRING_TTL_DOC =
      "How long a span waits for its parent or child before it counts as unpaired, in record time:"
          + " from its record's Kafka timestamp until a record that much later arrives.";
  public static final String MAX_PENDING_SPANS_CONFIG = "enrichment.edges.max.pending.spans";
  private static final String MAX_PENDING_SPANS_DOC =
      "Spans one task keeps waiting for pairing; more are not kept and are counted.";
  public static final String ACCURACY_CONFIG = "enrichment.sketch.relative.accuracy";
  private static final String ACCURACY_DOC =
      "Relative accuracy of the quantile sketches (DDSketch), e.g. 0.01 for 1 %.";

  public static final String MAX_STRING_BYTES_CONFIG = "enrichment.input.max.string.bytes";
  private static final String MAX_STRING_BYTES_DOC =
      "Longest string kept from the input (service, metric and span names, metric point"
          + " attributes, the span attributes read for edges and errors, severity text), in UTF-8"
          + " bytes; a record with a longer one goes to the DLQ and counts in"
          + " vigil_enrichment_rejected_total{reason=\"string_too_long\"}.";
  public static final String MAX_PAST_CONFIG = "enrichment.input.max.past.ms";
  private static final String MAX_PAST_DOC =
      "How far an event time (data point, span start or end, log time) may lie before its"
          + " record's Kafka timestamp; a record with an older one goes to the DLQ and counts in"
          + " vigil_enrichment_rejected_total{reason=\"time_out_of_range\"}. 0: no limit (an event"
          + " time of 0 is refused whatever the setting).";
  public static final String MAX_FUTURE_CONFIG = "enrichment.input.max.future.ms";
  private static final String MAX_FUTURE_DOC =
      "How far an event time may lie after its record's Kafka timestamp; a record with a later"
          + " one goes to the DLQ (time_out_of_range). Keep it well under the broker's"
          + " message.timestamp.after.max.ms (1 h by default).";

  private static final String GROUP = "Enrichment";

  private final CoreConfig config;

  /**
   * Reads the enrichment settings of a config validated against a definition with {@link #define}.
   */
  public EnrichmentConfig(CoreConfig config) {
    this.config = config;
  }

  /**
   * Validates settings against the shared keys plus the enrichment keys (for one-app processes and
   * tests).
   *
   * @throws dev.vigil.runtime.config.ConfigError naming the first key at fault
   */
  public static EnrichmentConfig load(ConfigSources sources) {
    ConfigDef def = CoreConfig.definition();
    define(def);
    return new EnrichmentConfig(new CoreConfig(def, sources));
  }

  /** The shared settings. */
  public CoreConfig core() {
    return config;
  }

  /** Adds the enrichment keys to a definition. */
  public static void define(ConfigDef def) {
    EnrichmentSettings d = EnrichmentSettings.defaults();
    int order = 0;
    def.define(
        GRACE_CONFIG,
        Type.LONG,
        d.grace().toMillis(),
        Range.between(0, 3_600_000),
        Importance.MEDIUM,
        GRACE_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Window grace");
    def.define(
        EMIT_DELAY_CONFIG,
        Type.LONG,
        d.emitDelay().toMillis(),
        Range.between(0, 3_600_000),
        Importance.MEDIUM,
        EMIT_DELAY_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Window emit delay");
    def.define(
        DIMENSIONS_CONFIG,
        Type.LIST,
        String.join(",", EnrichmentSettings.DEFAULT_DIMENSIONS),
        null,
        Importance.MEDIUM,
        DIMENSIONS_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Dimensions");
    def.define(
        MAX_SERIES_CONFIG,
        Type.INT,
        d.maxSeriesPerService(),
        Range.between(1, 1_000_000),
        Importance.MEDIUM,
        MAX_SERIES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Series per service");
    def.define(
        CUMULATIVE_TTL_CONFIG,
        Type.LONG,
        d.cumulativeTtl().toMillis(),
        Range.between(60_000, 86_400_000),
        Importance.LOW,
        CUMULATIVE_TTL_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Cumulative TTL");
    def.define(
        PAIRING_TTL_CONFIG,
        Type.LONG,
        d.pairingTtl().toMillis(),
        Range.between(1_000, 3_600_000),
        Importance.LOW,
        PAIRING_TTL_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Pairing TTL");
    def.define(
        MAX_PENDING_SPANS_CONFIG,
        Type.INT,
        d.maxPendingSpans(),
        Range.between(1, 100_000_000),
        Importance.LOW,
        MAX_PENDING_SPANS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Pending spans");
    def.define(
        ACCURACY_CONFIG,
        Type.DOUBLE,
        d.relativeAccuracy(),
        Range.between(0.0001, 0.5),
        Importance.LOW,
        ACCURACY_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Sketch accuracy");
    InputLimits limits = d.inputLimits();
    def.define(
        MAX_STRING_BYTES_CONFIG,
        Type.INT,
        limits.maxStringBytes(),
        Range.between(64, 512 * 1024),
        Importance.LOW,
        MAX_STRING_BYTES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max string bytes");
    def.define(
        MAX_PAST_CONFIG,
        Type.LONG,
        limits.maxPast().toMillis(),
        Range.atLeast(0),
        Importance.LOW,
        MAX_PAST_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max event time in the past");
    def.define(
        MAX_FUTURE_CONFIG,
        Type.LONG,
        limits.maxFuture().toMillis(),
        Range.between(0, 3_600_000),
        Importance.LOW,
        MAX_FUTURE_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max event time in the future");
  }

  /**
   * The typed settings of the topology.
   *
   * @throws ConfigError if {@value #EMIT_DELAY_CONFIG} exceeds {@value #GRACE_CONFIG}
   */
  public EnrichmentSettings settings() {
    long grace = config.getLong(GRACE_CONFIG);
    long emitDelay = config.getLong(EMIT_DELAY_CONFIG);
    if (emitDelay > grace) {
      throw new ConfigError(
          EMIT_DELAY_CONFIG,
          EMIT_DELAY_CONFIG
              + " ("
              + emitDelay
              + ") must not exceed "
              + GRACE_CONFIG
              + " ("
              + grace
              + "): a window is first emitted within its grace, before it closes");
    }
    List<String> dims = config.getList(DIMENSIONS_CONFIG);
    return new EnrichmentSettings(
        Duration.ofMillis(grace),
        Duration.ofMillis(emitDelay),
        new LinkedHashSet<>(dims.stream().map(String::trim).filter(s -> !s.isEmpty()).toList()),
        config.getInt(MAX_SERIES_CONFIG),
        Duration.ofMillis(config.getLong(CUMULATIVE_TTL_CONFIG)),
        Duration.ofMillis(config.getLong(PAIRING_TTL_CONFIG)),
        config.getInt(MAX_PENDING_SPANS_CONFIG),
        config.getDouble(ACCURACY_CONFIG),
        new InputLimits(
            config.getInt(MAX_STRING_BYTES_CONFIG),
            Duration.ofMillis(config.getLong(MAX_PAST_CONFIG)),
            Duration.ofMillis(config.getLong(MAX_FUTURE_CONFIG))));
  }
}
