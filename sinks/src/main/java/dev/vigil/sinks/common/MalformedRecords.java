package dev.vigil.sinks.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link MalformedRecordBehavior} to records a task cannot use, and counts each one:
 * nothing is skipped without a trace.
 */
public final class MalformedRecords {
  private static final Logger LOGGER = LoggerFactory.getLogger(MalformedRecords.class);
  private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  private final MalformedRecordBehavior behavior;
  private final ErrantRecordReporter reporter;
  private final SinkTaskMetrics.Counter counter;
  private final Clock clock;
  private Instant lastWarning;
  private long sinceLastWarning;

  /**
   * A handler for one task.
   *
   * @param behaviorKey the config key that chose {@code behavior}, named in errors
   * @param reporter the task context's reporter; null when the worker has no DLQ configured
   * @param counter counts every malformed record, whatever the behaviour
   * @throws ConfigException if {@code behavior} is {@code report} and there is no reporter
   */
  public MalformedRecords(
      String behaviorKey,
      MalformedRecordBehavior behavior,
      ErrantRecordReporter reporter,
      SinkTaskMetrics.Counter counter,
      Clock clock) {
    if (behavior == MalformedRecordBehavior.REPORT && reporter == null) {
      throw new ConfigException(
          behaviorKey,
          behavior.toString(),
          "needs a dead-letter queue: set errors.tolerance=all and "
              + "errors.deadletterqueue.topic.name, or choose warn or fail");
    }
    this.behavior = behavior;
    this.reporter = reporter;
    this.counter = counter;
    this.clock = clock;
  }

  /**
   * Deals with one malformed record.
   *
   * @throws ConnectException if the behaviour is {@code fail}
   */
  public void handle(SinkRecord record, Exception reason) {
    counter.increment();
    switch (behavior) {
      case FAIL ->
          throw new ConnectException(
              "malformed record " + RecordBytes.coordinates(record) + ": " + reason.getMessage(),
              reason);
      case REPORT -> reporter.report(record, reason);
      case WARN -> warn(record, reason);
    }
  }

  /** How many malformed records were handled. */
  public long count() {
    return counter.value();
  }

  private void warn(SinkRecord record, Exception reason) {
    sinceLastWarning++;
    Instant now = clock.instant();
    if (lastWarning == null || Duration.between(lastWarning, now).compareTo(WARN_INTERVAL) >= 0) {
      LOGGER.warn(
          "Skipping malformed record {} ({} skipped since the last warning)",
          RecordBytes.coordinates(record),
          sinceLastWarning,
          reason);
      lastWarning = now;
      sinceLastWarning = 0;
    }
  }
}
