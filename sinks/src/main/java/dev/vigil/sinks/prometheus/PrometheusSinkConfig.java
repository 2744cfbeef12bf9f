package dev.vigil.sinks.prometheus;

import dev.vigil.sinks.common.HttpConfigs;
import dev.vigil.sinks.common.HttpSettings;
import dev.vigil.sinks.common.MalformedRecordBehavior;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@link PrometheusSinkConnector}; every value parsed once, here. */
public final class PrometheusSinkConfig extends AbstractConfig {
  private static final String GROUP_WRITE = "Remote write";

  public static final String BATCH_MAX_BYTES_CONFIG = "batch.max.bytes";
  private static final String BATCH_MAX_BYTES_DOC =
      "Largest remote-write request, in bytes of protobuf before snappy; bigger batches are split "
          + "(a series' samples stay in order across the parts).";
  public static final String FORECAST_HORIZONS_CONFIG = "forecast.horizons.minutes";
  private static final String FORECAST_HORIZONS_DOC =
      "Forecast points written, as minutes after the forecast's origin; each becomes a 'horizon' "
          + "label value (e.g. 15m). Points at other offsets are not written.";
  public static final String BEHAVIOR_ON_MALFORMED_CONFIG = "behavior.on.malformed.records";
  private static final String BEHAVIOR_ON_MALFORMED_DOC =
      "What to do with a record that is not a SeriesKey + SignalWindow/Forecast: 'report' sends "
          + "it to the dead-letter queue (needs errors.tolerance=all and "
          + "errors.deadletterqueue.topic.name), 'warn' logs and skips it, 'fail' stops the task. "
          + "All three count it in malformed-records.";

  public static final int BATCH_MAX_BYTES_DEFAULT = 256 * 1024;

  /** The definition, with the shared HTTP keys. */
  public static final ConfigDef CONFIG_DEF = definition();

  private final HttpSettings http;
  private final int batchMaxBytes;
  private final List<Duration> forecastHorizons;
  private final MalformedRecordBehavior behaviorOnMalformed;

  /**
   * Parses and checks {@code props}.
   *
   * @throws ConfigException naming the key at fault
   */
  public PrometheusSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    this.http = HttpConfigs.settings(this);
    this.batchMaxBytes = getInt(BATCH_MAX_BYTES_CONFIG);
    this.forecastHorizons =
        getList(FORECAST_HORIZONS_CONFIG).stream()
            .map(m -> Duration.ofMinutes(parseMinutes(m)))
            .toList();
    this.behaviorOnMalformed =
        MalformedRecordBehavior.parse(getString(BEHAVIOR_ON_MALFORMED_CONFIG));
  }

  private static ConfigDef definition() {
    ConfigDef def = HttpConfigs.define(new ConfigDef());
    int order = 0;
    def.define(
            BATCH_MAX_BYTES_CONFIG,
            Type.INT,
            BATCH_MAX_BYTES_DEFAULT,
            Range.between(1024, 64 * 1024 * 1024),
            Importance.MEDIUM,
            BATCH_MAX_BYTES_DOC,
            GROUP_WRITE,
            ++order,
            Width.SHORT,
            "Max request bytes")
        .define(
            FORECAST_HORIZONS_CONFIG,
            Type.LIST,
            "5,15,60",
            new HorizonsValidator(),
            Importance.LOW,
            FORECAST_HORIZONS_DOC,
            GROUP_WRITE,
            ++order,
            Width.MEDIUM,
            "Forecast horizons")
        .define(
            BEHAVIOR_ON_MALFORMED_CONFIG,
            Type.STRING,
            MalformedRecordBehavior.DEFAULT.toString(),
            MalformedRecordBehavior.VALIDATOR,
            Importance.MEDIUM,
            BEHAVIOR_ON_MALFORMED_DOC,
            GROUP_WRITE,
            ++order,
            Width.SHORT,
            "On malformed records");
    return def;
  }

  /** Where and how to send. */
  public HttpSettings http() {
    return http;
  }

  /** Largest request before compression. */
  public int batchMaxBytes() {
    return batchMaxBytes;
  }

  /** Forecast offsets written. */
  public List<Duration> forecastHorizons() {
    return forecastHorizons;
  }

  /** What to do with a malformed record. */
  public MalformedRecordBehavior behaviorOnMalformed() {
    return behaviorOnMalformed;
  }

  private static long parseMinutes(String value) {
    return Long.parseLong(value.trim());
  }

  /** Positive whole minutes. */
  private static final class HorizonsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (!(value instanceof List<?> items)) {
        throw new ConfigException(name, value, "expected a list of minutes, e.g. 5,15,60");
      }
      for (Object item : items) {
        try {
          if (parseMinutes(String.valueOf(item)) <= 0) {
            throw new ConfigException(name, value, "minutes must be positive, got " + item);
          }
        } catch (NumberFormatException e) {
          throw new ConfigException(name, value, "not a whole number of minutes: " + item);
        }
      }
    }

    @Override
    public String toString() {
      return "list of positive whole minutes";
    }
  }
}
