package dev.vigil.anomaly;

import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.CoreConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The anomaly stream's settings, read from the process's validated {@link CoreConfig}. */
public final class AnomalyConfig {
  public static final String WARMUP_CONFIG = "anomaly.warmup.points";
  private static final String WARMUP_DOC =
      "Windows a series needs before it can alert; it learns from the first one.";
  public static final String RELEARN_CONFIG = "anomaly.relearn.after.points";
  private static final String RELEARN_DOC =
      "Anomalous windows in a row on one side after which a lasting level shift is accepted as"
          + " the new normal and alerting on it stops.";
  public static final String THRESHOLD_CONFIG = "anomaly.threshold";
  private static final String THRESHOLD_DOC =
      "Calibrated score at or above which a window is anomalous (0.99: |z| 4.6 mean absolute"
          + " deviations; also the edge of the expected band).";
  public static final String CLOSE_THRESHOLD_CONFIG = "anomaly.close.threshold";
  private static final String CLOSE_THRESHOLD_DOC =
      "Score below which a window counts towards ending an episode (hysteresis); at most"
          + " anomaly.threshold.";
  public static final String MIN_DURATION_CONFIG = "anomaly.min.duration.points";
  private static final String MIN_DURATION_DOC =
      "Anomalous windows in a row before an episode starts; a critical window (score >= 0.9999)"
          + " starts one at once.";
  public static final String CLOSE_AFTER_CONFIG = "anomaly.close.after.points";
  private static final String CLOSE_AFTER_DOC = "Quiet windows in a row before an episode ends.";
  public static final String HEALTH_CONFIG = "anomaly.service.health";
  private static final String HEALTH_DOC =
      "Emit a per-service health episode (series 'service.health') combining latency, errors,"
          + " traffic, saturation and log errors.";

  public static final String HEALTH_FAST_START_CONFIG = "anomaly.service.health.fast.start";
  private static final String HEALTH_FAST_START_DOC =
      "Start a service-health episode while its window's series still arrive, as soon as their"
          + " combined score is critical (>= 0.9999), instead of judging the window when the next"
          + " one arrives (a minute later). The same START, earlier: never an extra one.";

  private static final String GROUP = "Anomaly stream";

  private final CoreConfig config;

  /** Reads the settings from a config validated against {@link #define}. */
  public AnomalyConfig(CoreConfig config) {
    this.config = config;
  }

  /** Adds the anomaly stream's keys to a definition. */
  public static void define(ConfigDef def) {
    int order = 0;
    def.define(
        WARMUP_CONFIG,
        Type.INT,
        DetectorSettings.DEFAULT_WARMUP,
        Range.between(1, 100_000),
        Importance.MEDIUM,
        WARMUP_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Warm-up");
    def.define(
        RELEARN_CONFIG,
        Type.INT,
        DetectorSettings.DEFAULT_RELEARN,
        Range.between(2, 100_000),
        Importance.MEDIUM,
        RELEARN_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Re-learn after");
    def.define(
        THRESHOLD_CONFIG,
        Type.DOUBLE,
        AnomalySettings.DEFAULT_THRESHOLD,
        Range.between(0.6, 0.999999),
        Importance.HIGH,
        THRESHOLD_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Threshold");
    def.define(
        CLOSE_THRESHOLD_CONFIG,
        Type.DOUBLE,
        AnomalySettings.DEFAULT_CLOSE_THRESHOLD,
        Range.between(0.01, 0.999999),
        Importance.LOW,
        CLOSE_THRESHOLD_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Close threshold");
    def.define(
        MIN_DURATION_CONFIG,
        Type.INT,
        AnomalySettings.DEFAULT_MIN_DURATION,
        Range.between(1, 1_000),
        Importance.MEDIUM,
        MIN_DURATION_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Minimum duration");
    def.define(
        CLOSE_AFTER_CONFIG,
        Type.INT,
        AnomalySettings.DEFAULT_CLOSE_AFTER,
        Range.between(1, 1_000),
        Importance.LOW,
        CLOSE_AFTER_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Close after");
    def.define(
        HEALTH_CONFIG,
        Type.BOOLEAN,
        true,
        null,
        Importance.LOW,
        HEALTH_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Service health");
    def.define(
        HEALTH_FAST_START_CONFIG,
        Type.BOOLEAN,
        true,
        null,
        Importance.LOW,
        HEALTH_FAST_START_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Service health fast start");
  }

  /** The shared settings. */
  public CoreConfig core() {
    return config;
  }

  /**
   * The validated topology settings.
   *
   * @throws ConfigError if {@value #CLOSE_THRESHOLD_CONFIG} exceeds {@value #THRESHOLD_CONFIG}
   */
  public AnomalySettings settings() {
    double threshold = config.getDouble(THRESHOLD_CONFIG);
    double close = config.getDouble(CLOSE_THRESHOLD_CONFIG);
    if (close > threshold) {
      throw new ConfigError(
          CLOSE_THRESHOLD_CONFIG,
          CLOSE_THRESHOLD_CONFIG
              + " ("
              + close
              + ") must not exceed "
              + THRESHOLD_CONFIG
              + " ("
              + threshold
              + "): lower it, or the hysteresis would end episodes that are still anomalous");
    }
    return new AnomalySettings(
        new DetectorSettings(
            config.getInt(WARMUP_CONFIG), config.getInt(RELEARN_CONFIG), threshold),
        threshold,
        close,
        config.getInt(MIN_DURATION_CONFIG),
        config.getInt(CLOSE_AFTER_CONFIG),
        config.getBoolean(HEALTH_CONFIG),
        config.getBoolean(HEALTH_FAST_START_CONFIG));
  }
}
