package dev.vigil.sinks.alertmanager;

import dev.vigil.sinks.common.HttpConfigs;
import dev.vigil.sinks.common.HttpSettings;
import dev.vigil.sinks.common.MalformedRecordBehavior;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@link AlertmanagerSinkConnector}; every value parsed once, here. */
public final class AlertmanagerSinkConfig extends AbstractConfig {
  private static final String GROUP_ALERTS = "Alerts";

  public static final String RESEND_INTERVAL_CONFIG = "alert.resend.interval.ms";
  private static final String RESEND_INTERVAL_DOC =
      "How often firing alerts are re-posted, so Alertmanager keeps them firing.";
  public static final String ENDS_AFTER_CONFIG = "alert.ends.after.ms";
  private static final String ENDS_AFTER_DOC =
      "A firing alert is posted with endsAt = now + this; if the sink stops re-posting (it is "
          + "down), Alertmanager resolves the alert after it. Must exceed alert.resend.interval.ms.";
  public static final String BEHAVIOR_ON_MALFORMED_CONFIG = "behavior.on.malformed.records";
  private static final String BEHAVIOR_ON_MALFORMED_DOC =
      "What to do with a record that is not a valid Alert (bad bytes, no labels, invalid label "
          + "names, ends before it starts): 'report' sends it to the dead-letter queue (needs "
          + "errors.tolerance=all and errors.deadletterqueue.topic.name), 'warn' logs and skips "
          + "it, 'fail' stops the task. All three count it in malformed-records.";

  /** The definition, with the shared HTTP keys. */
  public static final ConfigDef CONFIG_DEF = definition();

  private final HttpSettings http;
  private final Duration resendInterval;
  private final Duration endsAfter;
  private final MalformedRecordBehavior behaviorOnMalformed;

  /**
   * Parses and checks {@code props}.
   *
   * @throws ConfigException naming the key at fault
   */
  public AlertmanagerSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    this.http = HttpConfigs.settings(this);
    this.resendInterval = Duration.ofMillis(getLong(RESEND_INTERVAL_CONFIG));
    this.endsAfter = Duration.ofMillis(getLong(ENDS_AFTER_CONFIG));
    if (endsAfter.compareTo(resendInterval) <= 0) {
      throw new ConfigException(
          ENDS_AFTER_CONFIG,
          endsAfter.toMillis(),
          "must exceed "
              + RESEND_INTERVAL_CONFIG
              + " ("
              + resendInterval.toMillis()
              + "), or alerts flap between re-posts; 3x or more is safe");
    }
    this.behaviorOnMalformed =
        MalformedRecordBehavior.parse(getString(BEHAVIOR_ON_MALFORMED_CONFIG));
  }

  private static ConfigDef definition() {
    ConfigDef def = HttpConfigs.define(new ConfigDef());
    int order = 0;
    def.define(
            RESEND_INTERVAL_CONFIG,
            Type.LONG,
            60_000L,
            Range.between(100, 3_600_000),
            Importance.MEDIUM,
            RESEND_INTERVAL_DOC,
            GROUP_ALERTS,
            ++order,
            Width.SHORT,
            "Resend interval")
        .define(
            ENDS_AFTER_CONFIG,
            Type.LONG,
            300_000L,
            Range.between(200, 86_400_000),
            Importance.MEDIUM,
            ENDS_AFTER_DOC,
            GROUP_ALERTS,
            ++order,
            Width.SHORT,
            "Ends after")
        .define(
            BEHAVIOR_ON_MALFORMED_CONFIG,
            Type.STRING,
            MalformedRecordBehavior.DEFAULT.toString(),
            MalformedRecordBehavior.VALIDATOR,
            Importance.MEDIUM,
            BEHAVIOR_ON_MALFORMED_DOC,
            GROUP_ALERTS,
            ++order,
            Width.SHORT,
            "On malformed records");
    return def;
  }

  /** Where and how to send. */
  public HttpSettings http() {
    return http;
  }

  /** How often firing alerts are re-posted. */
  public Duration resendInterval() {
    return resendInterval;
  }

  /** How long a posted firing alert stays firing without a re-post. */
  public Duration endsAfter() {
    return endsAfter;
  }

  /** What to do with a malformed record. */
  public MalformedRecordBehavior behaviorOnMalformed() {
    return behaviorOnMalformed;
  }
}
