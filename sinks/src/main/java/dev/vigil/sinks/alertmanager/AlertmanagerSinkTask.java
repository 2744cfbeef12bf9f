package dev.vigil.sinks.alertmanager;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.MalformedRecordException;
import dev.vigil.sinks.common.MalformedRecords;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.common.Redelivery;
import dev.vigil.sinks.common.SinkTaskMetrics;
import dev.vigil.sinks.common.SinkVersion;
import dev.vigil.sinks.common.VigilValues;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts as they arrive and re-posts firing ones on a schedule.
 *
 * <p>{@code vigil.alerts} is compacted and keyed by fingerprint: it is the current state of every
 * alert. When the task gets a partition it rewinds it to the start and replays it, so a restarted
 * or rebalanced task rebuilds the set of firing alerts it must keep alive; the re-posts this causes
 * are no duplicates, since Alertmanager merges alerts with the same label set.
 */
public final class AlertmanagerSinkTask extends SinkTask {
  private static final Logger LOGGER = LoggerFactory.getLogger(AlertmanagerSinkTask.class);

  private final Object lock = new Object();
  private final Map<TopicPartition, AlertBook> books = new HashMap<>();
  private final Clock clock = Clock.systemUTC();
  private AlertmanagerSinkConfig config;
  private AlertmanagerClient client;
  private MalformedRecords malformed;
  private SinkTaskMetrics metrics;
  private SinkTaskMetrics.Counter posted;
  private SinkTaskMetrics.Counter reposted;
  private SinkTaskMetrics.Counter relabelled;
  private SinkTaskMetrics.Counter skippedResolutions;
  private SinkTaskMetrics.Counter repostFailures;
  private SinkTaskMetrics.Counter redelivered;
  private ScheduledExecutorService scheduler;

  @Override
  public String version() {
    return SinkVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AlertmanagerSinkConfig(props);
    metrics = new SinkTaskMetrics(context);
    posted = metrics.counter("alerts-posted", "Alerts posted as records arrived.");
    reposted = metrics.counter("alerts-reposted", "Firing alerts re-posted to keep them alive.");
    relabelled =
        metrics.counter(
            "label-sets-resolved", "Old label sets resolved because an alert's labels changed.");
    skippedResolutions =
        metrics.counter(
            "resolutions-skipped-expired",
            "Resolutions not posted because Alertmanager had resolved them already (endsAt lapsed).");
    repostFailures = metrics.counter("repost-failures", "Scheduled re-posts that failed.");
    HttpTarget target = new HttpTarget(config.http());
    redelivered = metrics.deliveryCounters(target);
    client = new AlertmanagerClient(target);
    malformed =
        new MalformedRecords(
            AlertmanagerSinkConfig.BEHAVIOR_ON_MALFORMED_CONFIG,
            config.behaviorOnMalformed(),
            reporter(),
            metrics.counter("malformed-records", "Records that were not a valid Alert."),
            clock);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "alertmanager-resend");
              thread.setDaemon(true);
              return thread;
            });
    long every = config.resendInterval().toMillis();
    scheduler.scheduleAtFixedRate(this::resendFiring, every, every, TimeUnit.MILLISECONDS);
    LOGGER.info("Alertmanager sink task started, posting to {}", config.http().baseUrl());
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> fromStart = new HashMap<>();
    synchronized (lock) {
      for (TopicPartition partition : partitions) {
        books.put(partition, new AlertBook(config.endsAfter()));
        fromStart.put(partition, 0L);
      }
    }
    // Replay the compacted topic: it holds the current state of every alert of the partition.
    context.offset(fromStart);
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    synchronized (lock) {
      partitions.forEach(books::remove);
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    synchronized (lock) {
      Instant now = clock.instant();
      List<AmAlert> toPost = new ArrayList<>();
      for (SinkRecord record : records) {
        try {
          String fingerprint = new String(RecordBytes.key(record), StandardCharsets.UTF_8);
          Alert alert =
              record.value() == null
                  ? null
                  : VigilValues.decode(
                      record.topic(), RecordBytes.value(record), VigilSerdes.ALERT);
          if (alert != null) {
            AlertChecks.check(fingerprint, alert);
          }
          AlertBook.Update update =
              books
                  .computeIfAbsent(
                      new TopicPartition(record.topic(), record.kafkaPartition()),
                      tp -> new AlertBook(config.endsAfter()))
                  .apply(fingerprint, alert, now);
          if (update.resolvedOldLabels()) {
            relabelled.increment();
          }
          if (update.skippedExpiredResolution()) {
            skippedResolutions.increment();
          }
          toPost.addAll(update.toPost());
        } catch (MalformedRecordException | SerializationException e) {
          malformed.handle(record, e);
        }
      }
      Redelivery.after(
          context, config.http().retry().maxBackoff(), redelivered, () -> client.post(toPost));
      posted.add(toPost.size());
    }
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  private void resendFiring() {
    synchronized (lock) {
      Instant now = clock.instant();
      List<AmAlert> firing = new ArrayList<>();
      books.values().forEach(book -> firing.addAll(book.firing(now)));
      if (firing.isEmpty()) {
        return;
      }
      try {
        client.post(firing);
        reposted.add(firing.size());
      } catch (RuntimeException e) {
        // The next tick tries again; alerts stay firing until endsAt, a multiple of the interval.
        repostFailures.increment();
        LOGGER.warn("Re-posting {} firing alerts failed", firing.size(), e);
      }
    }
  }

  private ErrantRecordReporter reporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null;
    }
  }
}
