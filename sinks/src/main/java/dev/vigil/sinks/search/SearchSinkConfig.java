package dev.vigil.sinks.search;

import dev.vigil.sinks.common.HttpConfigs;
import dev.vigil.sinks.common.HttpSettings;
import dev.vigil.sinks.common.MalformedRecordBehavior;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the search sink: the HTTP target ({@link HttpConfigs}: URL, basic auth or API
 * key, TLS, retries), ids, bulk sizes, malformed documents and the OTLP logs data stream.
 */
public final class SearchSinkConfig extends AbstractConfig {
  private static final String GROUP_WRITE = "Write";
  private static final String GROUP_LOGS = "Logs";

  public static final String DOCUMENT_ID_CONFIG = "document.id.strategy";
  private static final String DOCUMENT_ID_DOC =
      "Where document ids come from: 'key' (the record key: the latest record per key), 'offset' "
          + "(topic+partition+offset: one document per record) or 'auto' (key for compacted "
          + "topics: incidents, alerts, the service catalog; key plus windowStart for signal and "
          + "edge windows, so a window's revision replaces its first emission; offset for the "
          + "others). Either way a redelivered record gets the same id, so it never adds a "
          + "duplicate.";
  public static final String BEHAVIOR_ON_MALFORMED_CONFIG = "behavior.on.malformed.documents";
  private static final String BEHAVIOR_ON_MALFORMED_DOC =
      "What to do with a record that cannot be read (corrupt Avro, bad OTLP) or a document the "
          + "cluster refuses (mapping conflicts: 400 per document): 'fail' stops the task, 'warn' "
          + "logs and skips it, 'report' sends the record to the dead-letter queue (needs "
          + "errors.tolerance=all and errors.deadletterqueue.topic.name). Counted either way.";
  public static final String BULK_MAX_ACTIONS_CONFIG = "bulk.max.actions";
  private static final String BULK_MAX_ACTIONS_DOC =
      "Most documents per _bulk request; a larger put() is split.";
  public static final String BULK_MAX_BYTES_CONFIG = "bulk.max.bytes";
  private static final String BULK_MAX_BYTES_DOC =
      "Largest _bulk body in bytes (about); a larger put() is split. Keep it under the cluster's "
          + "http.max_content_length (100mb by default).";
  public static final String LOGS_TOPICS_CONFIG = "logs.topics";
  private static final String LOGS_TOPICS_DOC =
      "Topics of raw OTLP logs (ExportLogsServiceRequest, otlp_proto or otlp_json), indexed one "
          + "document per log record into the logs data stream; every other topic holds Vigil's "
          + "Avro records and goes to an index named after the topic.";
  public static final String LOGS_NAMESPACE_CONFIG = "logs.namespace";
  private static final String LOGS_NAMESPACE_DOC =
      "Namespace of the logs data stream logs-vigil-<namespace> (e.g. the environment): "
          + "lower-case letters, digits and '_'.";
  public static final String LOGS_POLICY_CONFIG = "logs.policy.name";
  private static final String LOGS_POLICY_DOC =
      "Id of the rollover and retention policy installed at start (ILM on Elasticsearch, ISM on "
          + "OpenSearch) for the logs data stream; empty to manage it yourself.";
  public static final String LOGS_ROLLOVER_AGE_CONFIG = "logs.rollover.max.age";
  private static final String LOGS_ROLLOVER_AGE_DOC =
      "Roll the data stream's write index over at this age (time unit: d, h, m).";
  public static final String LOGS_ROLLOVER_SIZE_CONFIG = "logs.rollover.max.size";
  private static final String LOGS_ROLLOVER_SIZE_DOC =
      "Or at this primary size (byte unit: gb, mb).";
  public static final String LOGS_RETENTION_CONFIG = "logs.retention";
  private static final String LOGS_RETENTION_DOC =
      "Delete a backing index this long after rollover (ILM) or creation (ISM).";

  static final String LOGS_DATASET = "vigil";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_]{1,100}");
  private static final Pattern TIME_VALUE = Pattern.compile("[0-9]+(d|h|m|s)");
  private static final Pattern BYTE_VALUE = Pattern.compile("[0-9]+(b|kb|mb|gb|tb)");

  /** The definition, with the shared HTTP keys. */
  public static final ConfigDef CONFIG_DEF = define();

  private final HttpSettings http;

  /**
   * Parses and checks the settings.
   *
   * @throws ConfigException naming the key at fault
   */
  public SearchSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    this.http = HttpConfigs.settings(this);
  }

  HttpSettings http() {
    return http;
  }

  DocumentIdStrategy documentIds() {
    return DocumentIdStrategy.parse(getString(DOCUMENT_ID_CONFIG));
  }

  MalformedRecordBehavior onMalformed() {
    return MalformedRecordBehavior.parse(getString(BEHAVIOR_ON_MALFORMED_CONFIG));
  }

  int bulkMaxActions() {
    return getInt(BULK_MAX_ACTIONS_CONFIG);
  }

  long bulkMaxBytes() {
    return getLong(BULK_MAX_BYTES_CONFIG);
  }

  List<String> logsTopics() {
    return getList(LOGS_TOPICS_CONFIG);
  }

  String logsNamespace() {
    return getString(LOGS_NAMESPACE_CONFIG);
  }

  /** {@code logs-vigil-<namespace>}. */
  String logsDataStream() {
    return "logs-" + LOGS_DATASET + "-" + logsNamespace();
  }

  /** The policy to install, or null when {@link #LOGS_POLICY_CONFIG} is empty. */
  LifecyclePolicies logsPolicy() {
    String id = getString(LOGS_POLICY_CONFIG).trim();
    if (id.isEmpty()) {
      return null;
    }
    return new LifecyclePolicies(
        id,
        getString(LOGS_ROLLOVER_AGE_CONFIG),
        getString(LOGS_ROLLOVER_SIZE_CONFIG),
        getString(LOGS_RETENTION_CONFIG));
  }

  private static ConfigDef define() {
    ConfigDef def = HttpConfigs.define(new ConfigDef());
    addWriteConfigs(def);
    addLogsConfigs(def);
    return def;
  }

  private static void addWriteConfigs(ConfigDef def) {
    int order = 0;
    def.define(
            DOCUMENT_ID_CONFIG,
            Type.STRING,
            DocumentIdStrategy.DEFAULT.toString(),
            DocumentIdStrategy.VALIDATOR,
            Importance.MEDIUM,
            DOCUMENT_ID_DOC,
            GROUP_WRITE,
            ++order,
            Width.SHORT,
            "Document ids")
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
            "Malformed documents")
        .define(
            BULK_MAX_ACTIONS_CONFIG,
            Type.INT,
            500,
            Range.between(1, 100_000),
            Importance.LOW,
            BULK_MAX_ACTIONS_DOC,
            GROUP_WRITE,
            ++order,
            Width.SHORT,
            "Bulk max documents")
        .define(
            BULK_MAX_BYTES_CONFIG,
            Type.LONG,
            5L * 1024 * 1024,
            Range.between(1024, 100L * 1024 * 1024),
            Importance.LOW,
            BULK_MAX_BYTES_DOC,
            GROUP_WRITE,
            ++order,
            Width.SHORT,
            "Bulk max bytes");
  }

  private static void addLogsConfigs(ConfigDef def) {
    int order = 0;
    def.define(
            LOGS_TOPICS_CONFIG,
            Type.LIST,
            "otlp_logs",
            Importance.MEDIUM,
            LOGS_TOPICS_DOC,
            GROUP_LOGS,
            ++order,
            Width.LONG,
            "OTLP logs topics")
        .define(
            LOGS_NAMESPACE_CONFIG,
            Type.STRING,
            "default",
            matching(NAMESPACE, "lower-case letters, digits and '_'"),
            Importance.MEDIUM,
            LOGS_NAMESPACE_DOC,
            GROUP_LOGS,
            ++order,
            Width.SHORT,
            "Logs namespace")
        .define(
            LOGS_POLICY_CONFIG,
            Type.STRING,
            "vigil-logs",
            Importance.LOW,
            LOGS_POLICY_DOC,
            GROUP_LOGS,
            ++order,
            Width.MEDIUM,
            "Logs policy")
        .define(
            LOGS_ROLLOVER_AGE_CONFIG,
            Type.STRING,
            "1d",
            matching(TIME_VALUE, "a time value such as 1d, 12h, 30m"),
            Importance.LOW,
            LOGS_ROLLOVER_AGE_DOC,
            GROUP_LOGS,
            ++order,
            Width.SHORT,
            "Rollover age")
        .define(
            LOGS_ROLLOVER_SIZE_CONFIG,
            Type.STRING,
            "50gb",
            matching(BYTE_VALUE, "a byte size such as 50gb, 500mb"),
            Importance.LOW,
            LOGS_ROLLOVER_SIZE_DOC,
            GROUP_LOGS,
            ++order,
            Width.SHORT,
            "Rollover size")
        .define(
            LOGS_RETENTION_CONFIG,
            Type.STRING,
            "7d",
            matching(TIME_VALUE, "a time value such as 7d, 48h"),
            Importance.LOW,
            LOGS_RETENTION_DOC,
            GROUP_LOGS,
            ++order,
            Width.SHORT,
            "Retention");
  }

  private static ConfigDef.Validator matching(Pattern pattern, String description) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value == null || !pattern.matcher(value.toString()).matches()) {
          throw new ConfigException(name, value, "must be " + description);
        }
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }
}
