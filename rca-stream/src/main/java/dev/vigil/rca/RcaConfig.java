package dev.vigil.rca;

import dev.vigil.rca.internal.RcaSettings;
import dev.vigil.runtime.config.ConfigError;
import dev.vigil.runtime.config.CoreConfig;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The rca-stream's settings, read from the process's validated {@link CoreConfig}. */
public final class RcaConfig {
  public static final String WINDOW_CONFIG = "rca.window.ms";
  private static final String WINDOW_DOC =
      "Width of the upstream windows (signals, edges); health is counted in these windows.";
  public static final String CORRELATION_WINDOW_CONFIG = "rca.correlation.window.ms";
  private static final String CORRELATION_WINDOW_DOC =
      "Anomalies of linked services this close in time form one incident; further apart, never.";
  public static final String MAX_HOPS_CONFIG = "rca.correlation.max.hops";
  private static final String MAX_HOPS_DOC =
      "Call-graph distance within which two anomalous services are linked: one reaches the other"
          + " along calls, or both reach a common dependency, in at most this many hops.";
  public static final String HEALTHY_WINDOWS_CONFIG = "rca.resolve.healthy.windows";
  private static final String HEALTHY_WINDOWS_DOC =
      "An incident resolves when every member has been healthy for this many windows.";
  public static final String EPISODE_STALE_CONFIG = "rca.episode.stale.ms";
  private static final String EPISODE_STALE_DOC =
      "An anomaly episode with no event (update or end) for this long counts as ended.";
  public static final String EDGE_TTL_CONFIG = "rca.edge.ttl.ms";
  private static final String EDGE_TTL_DOC =
      "An edge of the service graph without calls for this long ages out.";
  public static final String CHANGE_LOOKBACK_CONFIG = "rca.change.lookback.ms";
  private static final String CHANGE_LOOKBACK_DOC =
      "Changes (deploys, config, flags) up to this long before a service turned anomalous count as"
          + " evidence against it.";
  public static final String EVALUATE_INTERVAL_CONFIG = "rca.evaluate.interval.ms";
  private static final String EVALUATE_INTERVAL_DOC =
      "Stream-time period of ranking, merging, resolution and ageing; new incident versions and"
          + " alerts are published at this pace.";
  public static final String EVALUATE_DELAY_CONFIG = "rca.evaluate.delay.ms";
  private static final String EVALUATE_DELAY_DOC =
      "Wall-clock time after the first record of an evaluation time T (an anomaly or edge window"
          + " ending at T) after which T is evaluated and its incident versions and alerts"
          + " published, without waiting for a record later than T (which costs a whole window)."
          + " Must be shorter than rca.evaluate.interval.ms. 0 disables it: event time only, as"
          + " replays need.";
  public static final String MAX_ROOT_CAUSES_CONFIG = "rca.root.causes.max";
  private static final String MAX_ROOT_CAUSES_DOC = "Ranked root causes kept per incident.";
  public static final String GENERATOR_URL_CONFIG = "rca.alert.generator.url";
  private static final String GENERATOR_URL_DOC =
      "generatorURL of the alerts, {incident} replaced by the incident id (e.g."
          + " https://grafana.example.com/d/vigil?var-incident={incident}); empty for none.";

  private static final String GROUP = "Root-cause analysis";

  private final CoreConfig config;

  /** Reads the settings from a config validated against {@link #define}. */
  public RcaConfig(CoreConfig config) {
    this.config = config;
  }

  /** Adds the app's keys to a definition. */
  public static void define(ConfigDef def) {
    int order = 0;
    RcaSettings d = RcaSettings.defaults();
    defineMillis(def, WINDOW_CONFIG, d.window(), WINDOW_DOC, ++order, "Window");
    defineMillis(
        def,
        CORRELATION_WINDOW_CONFIG,
        d.correlationWindow(),
        CORRELATION_WINDOW_DOC,
        ++order,
        "Correlation window");
    def.define(
        MAX_HOPS_CONFIG,
        Type.INT,
        d.maxHops(),
        Range.between(1, 6),
        Importance.MEDIUM,
        MAX_HOPS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max hops");
    def.define(
        HEALTHY_WINDOWS_CONFIG,
        Type.INT,
        d.healthyWindows(),
        Range.between(1, 1_440),
        Importance.MEDIUM,
        HEALTHY_WINDOWS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Healthy windows");
    defineMillis(
        def, EPISODE_STALE_CONFIG, d.episodeStale(), EPISODE_STALE_DOC, ++order, "Episode stale");
    defineMillis(def, EDGE_TTL_CONFIG, d.edgeTtl(), EDGE_TTL_DOC, ++order, "Edge TTL");
    defineMillis(
        def,
        CHANGE_LOOKBACK_CONFIG,
        d.changeLookback(),
        CHANGE_LOOKBACK_DOC,
        ++order,
        "Change look-back");
    defineMillis(
        def,
        EVALUATE_INTERVAL_CONFIG,
        d.evaluateInterval(),
        EVALUATE_INTERVAL_DOC,
        ++order,
        "Evaluate interval");
    def.define(
        EVALUATE_DELAY_CONFIG,
        Type.LONG,
        d.evaluateDelay().toMillis(),
        Range.between(0, 3_600_000),
        Importance.MEDIUM,
        EVALUATE_DELAY_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Evaluate delay");
    def.define(
        MAX_ROOT_CAUSES_CONFIG,
        Type.INT,
        d.maxRootCauses(),
        Range.between(1, 50),
        Importance.LOW,
        MAX_ROOT_CAUSES_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Max root causes");
    def.define(
        GENERATOR_URL_CONFIG,
        Type.STRING,
        d.generatorUrl(),
        null,
        Importance.LOW,
        GENERATOR_URL_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Alert generator URL");
  }

  private static void defineMillis(
      ConfigDef def, String key, Duration value, String doc, int order, String display) {
    def.define(
        key,
        Type.LONG,
        value.toMillis(),
        Range.between(1_000, 7L * 24 * 3_600_000),
        Importance.MEDIUM,
        doc,
        GROUP,
        order,
        Width.SHORT,
        display);
  }

  /** The shared settings. */
  public CoreConfig core() {
    return config;
  }

  /** The engine's settings. */
  public RcaSettings settings() {
    long delay = config.getLong(EVALUATE_DELAY_CONFIG);
    long interval = config.getLong(EVALUATE_INTERVAL_CONFIG);
    if (delay >= interval) {
      throw new ConfigError(
          EVALUATE_DELAY_CONFIG,
          EVALUATE_DELAY_CONFIG
              + " ("
              + delay
              + ") must be shorter than "
              + EVALUATE_INTERVAL_CONFIG
              + " ("
              + interval
              + "): the next window's records would always come first; use 0 to disable it");
    }
    return new RcaSettings(
        millis(WINDOW_CONFIG),
        millis(CORRELATION_WINDOW_CONFIG),
        config.getInt(MAX_HOPS_CONFIG),
        config.getInt(HEALTHY_WINDOWS_CONFIG),
        millis(EPISODE_STALE_CONFIG),
        millis(EDGE_TTL_CONFIG),
        millis(CHANGE_LOOKBACK_CONFIG),
        millis(EVALUATE_INTERVAL_CONFIG),
        millis(EVALUATE_DELAY_CONFIG),
        config.getInt(MAX_ROOT_CAUSES_CONFIG),
        config.getString(GENERATOR_URL_CONFIG));
  }

  private Duration millis(String key) {
    return Duration.ofMillis(config.getLong(key));
  }
}
