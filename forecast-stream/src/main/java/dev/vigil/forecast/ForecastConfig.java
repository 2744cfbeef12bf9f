package dev.vigil.forecast;

import dev.vigil.forecast.sagemaker.SageMakerSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.SignalType;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The forecast stream's settings, read from the process's validated {@link CoreConfig}. */
public final class ForecastConfig {
  public static final String SIGNAL_TYPES_CONFIG = "forecast.signal.types";
  private static final String SIGNAL_TYPES_DOC =
      "Signal types forecast. TRAFFIC and LATENCY are further limited by forecast.max.tier.";
  public static final String MAX_TIER_CONFIG = "forecast.max.tier";
  private static final String MAX_TIER_DOC =
      "Request rate (TRAFFIC) and LATENCY series are forecast only for services of this catalog"
          + " tier or a more critical one (1 = tier-1 only); windows without a tier are skipped.";
  public static final String SIGNALS_CONFIG = "forecast.signals.include";
  private static final String SIGNALS_DOC =
      "Signal names forecast whatever their type and tier, e.g. kafka.consumer.lag.";
  public static final String EVERY_CONFIG = "forecast.every.windows";
  private static final String EVERY_DOC = "A series is forecast every this many of its windows.";
  public static final String HORIZON_CONFIG = "forecast.horizon.minutes";
  private static final String HORIZON_DOC =
      "How far ahead a forecast reaches, at the series' own resolution (60 points for 1-minute"
          + " windows).";
  public static final String SEASON_CONFIG = "forecast.season.ms";
  private static final String SEASON_DOC =
      "Seasonal period of the embedded model (a day); 0 for none. A series forecasts after two"
          + " seasons of warm-up.";
  public static final String CAPACITY_CONFIG = "forecast.capacity.limits";
  private static final String CAPACITY_DOC =
      "Capacity limits as signal=value: a predictive alert fires when a forecast's upper bound"
          + " reaches the limit within the horizon. Otherwise the catalog SLO's threshold is used.";

  public static final String SM_ENDPOINT_CONFIG = "forecast.sagemaker.endpoint";
  private static final String SM_ENDPOINT_DOC =
      "Name of a SageMaker endpoint serving DeepAR; empty for the embedded model only.";
  public static final String SM_URL_CONFIG = "forecast.sagemaker.endpoint.url";
  private static final String SM_URL_DOC =
      "SageMaker Runtime URL override, e.g. a VPC interface endpoint; empty for AWS's own.";
  public static final String SM_REGION_CONFIG = "forecast.sagemaker.region";
  private static final String SM_REGION_DOC =
      "AWS region of the endpoint; empty for the default chain (AWS_REGION, profile, IMDS).";
  public static final String SM_BATCH_CONFIG = "forecast.sagemaker.batch.size";
  private static final String SM_BATCH_DOC = "Series per InvokeEndpoint request.";
  public static final String SM_CONCURRENCY_CONFIG = "forecast.sagemaker.concurrency";
  private static final String SM_CONCURRENCY_DOC = "Requests in flight at most, per process.";
  public static final String SM_QUEUE_CONFIG = "forecast.sagemaker.queue.batches";
  private static final String SM_QUEUE_DOC =
      "Batches waiting for a free request at most; beyond, the embedded model answers.";
  public static final String SM_TIMEOUT_CONFIG = "forecast.sagemaker.timeout.ms";
  private static final String SM_TIMEOUT_DOC =
      "Bound from submitting a batch to its result, queueing included; then the embedded model"
          + " answers.";
  public static final String SM_LINGER_CONFIG = "forecast.sagemaker.linger.ms";
  private static final String SM_LINGER_DOC =
      "How long a partial batch waits for more series; also how often results are applied.";
  public static final String SM_CONTEXT_CONFIG = "forecast.sagemaker.context.points";
  private static final String SM_CONTEXT_DOC =
      "Points of history sent per series (DeepAR's target); kept per series in a store.";
  public static final String SM_SAMPLES_CONFIG = "forecast.sagemaker.num.samples";
  private static final String SM_SAMPLES_DOC = "DeepAR num_samples for the quantiles.";
  public static final String SM_FAILURE_RATE_CONFIG = "forecast.sagemaker.breaker.failure.rate";
  private static final String SM_FAILURE_RATE_DOC =
      "Failure rate (percent of the window's calls) that opens the circuit breaker.";
  public static final String SM_WINDOW_CONFIG = "forecast.sagemaker.breaker.window.calls";
  private static final String SM_WINDOW_DOC = "Calls in the breaker's sliding window.";
  public static final String SM_MIN_CALLS_CONFIG = "forecast.sagemaker.breaker.min.calls";
  private static final String SM_MIN_CALLS_DOC = "Calls before the failure rate counts.";
  public static final String SM_OPEN_CONFIG = "forecast.sagemaker.breaker.open.ms";
  private static final String SM_OPEN_DOC =
      "How long the breaker stays open (embedded model only) before trial calls.";
  public static final String SM_HALF_OPEN_CONFIG = "forecast.sagemaker.breaker.half.open.calls";
  private static final String SM_HALF_OPEN_DOC =
      "Trial calls while half-open that decide whether the breaker closes again.";

  private static final String GROUP = "Forecast stream";
  private static final String SM_GROUP = "Forecast stream: SageMaker";

  private final CoreConfig config;

  /** Reads the settings from a config validated against {@link #define}. */
  public ForecastConfig(CoreConfig config) {
    this.config = config;
  }

  /** Adds the forecast stream's keys to a definition. */
  public static void define(ConfigDef def) {
    int order = 0;
    def.define(
        SIGNAL_TYPES_CONFIG,
        Type.LIST,
        "SATURATION,TRAFFIC,LATENCY",
        new SignalTypesValidator(),
        Importance.MEDIUM,
        SIGNAL_TYPES_DOC,
        GROUP,
        ++order,
        Width.MEDIUM,
        "Signal types");
    def.define(
        MAX_TIER_CONFIG,
        Type.INT,
        ForecastSettings.DEFAULT_MAX_TIER,
        Range.between(0, 10),
        Importance.MEDIUM,
        MAX_TIER_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max tier");
    def.define(
        SIGNALS_CONFIG,
        Type.LIST,
        "",
        null,
        Importance.LOW,
        SIGNALS_DOC,
        GROUP,
        ++order,
        Width.MEDIUM,
        "Included signals");
    def.define(
        EVERY_CONFIG,
        Type.INT,
        ForecastSettings.DEFAULT_EVERY,
        Range.between(1, 1_440),
        Importance.MEDIUM,
        EVERY_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Every N windows");
    def.define(
        HORIZON_CONFIG,
        Type.INT,
        ForecastSettings.DEFAULT_HORIZON_MINUTES,
        Range.between(1, 1_440),
        Importance.HIGH,
        HORIZON_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Horizon");
    def.define(
        SEASON_CONFIG,
        Type.LONG,
        ForecastSettings.DEFAULT_SEASON_MILLIS,
        Range.between(0, 7 * 86_400_000L),
        Importance.LOW,
        SEASON_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Season");
    def.define(
        CAPACITY_CONFIG,
        Type.LIST,
        "system.filesystem.utilization=0.95,system.memory.utilization=0.95",
        new CapacityLimitsValidator(),
        Importance.HIGH,
        CAPACITY_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Capacity limits");
    order = 0;
    def.define(
        SM_ENDPOINT_CONFIG,
        Type.STRING,
        "",
        null,
        Importance.HIGH,
        SM_ENDPOINT_DOC,
        SM_GROUP,
        ++order,
        Width.MEDIUM,
        "SageMaker endpoint");
    def.define(
        SM_URL_CONFIG,
        Type.STRING,
        "",
        new UrlValidator(),
        Importance.LOW,
        SM_URL_DOC,
        SM_GROUP,
        ++order,
        Width.LONG,
        "Runtime URL");
    def.define(
        SM_REGION_CONFIG,
        Type.STRING,
        "",
        null,
        Importance.MEDIUM,
        SM_REGION_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Region");
    def.define(
        SM_BATCH_CONFIG,
        Type.INT,
        50,
        Range.between(1, 1_000),
        Importance.MEDIUM,
        SM_BATCH_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Batch size");
    def.define(
        SM_CONCURRENCY_CONFIG,
        Type.INT,
        4,
        Range.between(1, 64),
        Importance.MEDIUM,
        SM_CONCURRENCY_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Concurrency");
    def.define(
        SM_QUEUE_CONFIG,
        Type.INT,
        64,
        Range.between(0, 10_000),
        Importance.LOW,
        SM_QUEUE_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Queued batches");
    def.define(
        SM_TIMEOUT_CONFIG,
        Type.LONG,
        2_000L,
        Range.between(50, 60_000),
        Importance.MEDIUM,
        SM_TIMEOUT_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Timeout");
    def.define(
        SM_LINGER_CONFIG,
        Type.LONG,
        200L,
        Range.between(10, 10_000),
        Importance.LOW,
        SM_LINGER_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Linger");
    def.define(
        SM_CONTEXT_CONFIG,
        Type.INT,
        240,
        Range.between(10, 10_000),
        Importance.MEDIUM,
        SM_CONTEXT_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Context points");
    def.define(
        SM_SAMPLES_CONFIG,
        Type.INT,
        100,
        Range.between(10, 1_000),
        Importance.LOW,
        SM_SAMPLES_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Samples");
    def.define(
        SM_FAILURE_RATE_CONFIG,
        Type.INT,
        50,
        Range.between(1, 100),
        Importance.LOW,
        SM_FAILURE_RATE_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Breaker failure rate");
    def.define(
        SM_WINDOW_CONFIG,
        Type.INT,
        20,
        Range.between(1, 1_000),
        Importance.LOW,
        SM_WINDOW_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Breaker window");
    def.define(
        SM_MIN_CALLS_CONFIG,
        Type.INT,
        5,
        Range.between(1, 1_000),
        Importance.LOW,
        SM_MIN_CALLS_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Breaker minimum calls");
    def.define(
        SM_OPEN_CONFIG,
        Type.LONG,
        30_000L,
        Range.between(10, 3_600_000),
        Importance.LOW,
        SM_OPEN_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Breaker open");
    def.define(
        SM_HALF_OPEN_CONFIG,
        Type.INT,
        2,
        Range.between(1, 100),
        Importance.LOW,
        SM_HALF_OPEN_DOC,
        SM_GROUP,
        ++order,
        Width.SHORT,
        "Breaker half-open calls");
  }

  /** The shared settings. */
  public CoreConfig core() {
    return config;
  }

  /**
   * The validated topology settings.
   *
   * @throws ConfigError if {@value #SM_MIN_CALLS_CONFIG} exceeds {@value #SM_WINDOW_CONFIG}
   */
  public ForecastSettings settings() {
    Set<SignalType> types = EnumSet.noneOf(SignalType.class);
    for (String t : config.getList(SIGNAL_TYPES_CONFIG)) {
      types.add(SignalType.valueOf(t.strip().toUpperCase(Locale.ROOT)));
    }
    return new ForecastSettings(
        types,
        config.getInt(MAX_TIER_CONFIG),
        Set.copyOf(config.getList(SIGNALS_CONFIG)),
        config.getInt(EVERY_CONFIG),
        Duration.ofMinutes(config.getInt(HORIZON_CONFIG)),
        config.getLong(SEASON_CONFIG),
        capacityLimits(config.getList(CAPACITY_CONFIG)),
        sageMaker());
  }

  private SageMakerSettings sageMaker() {
    String endpoint = config.getString(SM_ENDPOINT_CONFIG).strip();
    if (endpoint.isEmpty()) {
      return null;
    }
    int window = config.getInt(SM_WINDOW_CONFIG);
    int minimum = config.getInt(SM_MIN_CALLS_CONFIG);
    if (minimum > window) {
      throw new ConfigError(
          SM_MIN_CALLS_CONFIG,
          SM_MIN_CALLS_CONFIG
              + " ("
              + minimum
              + ") must not exceed "
              + SM_WINDOW_CONFIG
              + " ("
              + window
              + "): the breaker could never count enough calls to open");
    }
    return new SageMakerSettings(
        endpoint,
        config.getString(SM_URL_CONFIG).strip(),
        config.getString(SM_REGION_CONFIG).strip(),
        config.getInt(SM_BATCH_CONFIG),
        config.getInt(SM_CONCURRENCY_CONFIG),
        config.getInt(SM_QUEUE_CONFIG),
        Duration.ofMillis(config.getLong(SM_TIMEOUT_CONFIG)),
        Duration.ofMillis(config.getLong(SM_LINGER_CONFIG)),
        config.getInt(SM_CONTEXT_CONFIG),
        config.getInt(SM_SAMPLES_CONFIG),
        new SageMakerSettings.BreakerSettings(
            config.getInt(SM_FAILURE_RATE_CONFIG),
            window,
            minimum,
            Duration.ofMillis(config.getLong(SM_OPEN_CONFIG)),
            config.getInt(SM_HALF_OPEN_CONFIG)));
  }

  static Map<String, Double> capacityLimits(List<String> entries) {
    Map<String, Double> limits = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.lastIndexOf('=');
      limits.put(
          entry.substring(0, eq).strip(), Double.parseDouble(entry.substring(eq + 1).strip()));
    }
    return limits;
  }

  /** Each entry a SignalType symbol, any case. */
  static final class SignalTypesValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      for (Object v : (List<?>) value) {
        try {
          SignalType.valueOf(String.valueOf(v).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, "unknown signal type '" + v + "'; use " + this);
        }
      }
    }

    @Override
    public String toString() {
      return "list of " + EnumSet.allOf(SignalType.class);
    }
  }

  /** Each entry {@code signal=number}, the number finite. */
  static final class CapacityLimitsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      for (Object v : (List<?>) value) {
        String entry = String.valueOf(v);
        int eq = entry.lastIndexOf('=');
        if (eq <= 0 || entry.substring(0, eq).isBlank()) {
          throw new ConfigException(name, value, "'" + entry + "' is not signal=value");
        }
        try {
          double limit = Double.parseDouble(entry.substring(eq + 1).strip());
          if (!Double.isFinite(limit)) {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException e) {
          throw new ConfigException(name, value, "'" + entry + "': the limit is not a number");
        }
      }
    }

    @Override
    public String toString() {
      return "list of signal=value, e.g. system.filesystem.utilization=0.95";
    }
  }

  /** Empty, or an absolute http(s) URL. */
  static final class UrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String url = String.valueOf(value).strip();
      if (url.isEmpty()) {
        return;
      }
      try {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, "not an http(s) URL");
      }
    }

    @Override
    public String toString() {
      return "empty or an http(s) URL";
    }
  }
}
