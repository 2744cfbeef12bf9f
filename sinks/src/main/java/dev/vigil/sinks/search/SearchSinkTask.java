package dev.vigil.sinks.search;

import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.MalformedRecords;
import dev.vigil.sinks.common.Redelivery;
import dev.vigil.sinks.common.SinkTaskMetrics;
import dev.vigil.sinks.common.SinkVersion;
import dev.vigil.sinks.common.Sleeper;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to the cluster synchronously in {@link #put}: when it returns, every document is
 * indexed (or handled as malformed), so the offsets Connect commits afterwards never run ahead of
 * the index.
 */
public final class SearchSinkTask extends SinkTask {
  private static final Logger LOGGER = LoggerFactory.getLogger(SearchSinkTask.class);

  private SearchSinkConfig config;
  private HttpTarget target;
  private SinkTaskMetrics metrics;
  private SearchCounters counters;
  private MalformedRecords malformed;
  private SearchWriter writer;
  private SinkTaskMetrics.Counter redelivered;

  @Override
  public void start(Map<String, String> props) {
    config = new SearchSinkConfig(props);
    target = new HttpTarget(config.http());
    metrics = new SinkTaskMetrics(context);
    counters = SearchCounters.register(metrics);
    redelivered = metrics.deliveryCounters(target);
    malformed =
        new MalformedRecords(
            SearchSinkConfig.BEHAVIOR_ON_MALFORMED_CONFIG,
            config.onMalformed(),
            reporter(),
            counters.malformed(),
            Clock.systemUTC());
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (!records.isEmpty()) {
      Redelivery.after(
          context, config.http().retry().maxBackoff(), redelivered, () -> writer().write(records));
    }
  }

  /**
   * The writer, once the cluster has been probed and the logs template and policy installed. This
   * happens on the first put() rather than in start(): a cluster that is down then makes put()
   * throw a RetriableException, which Connect retries, where a failed start() would need an
   * operator to restart the task.
   */
  private SearchWriter writer() {
    if (writer == null) {
      SearchEngine engine;
      try {
        engine = SearchEngine.probe(target);
      } catch (HttpStatusException e) {
        if (e.isRetriable()) {
          throw new RetriableException("cluster not ready: " + e.getMessage(), e);
        }
        throw e;
      }
      LOGGER.info("Search sink writing to {} at {}", engine.describe(), config.http().baseUrl());
      IndexSetup setup = new IndexSetup(target, engine);
      boolean dataStream = setup.ensureLogs(config.logsDataStream(), config.logsPolicy());
      writer =
          new SearchWriter(
              config,
              target,
              setup,
              dataStream,
              malformed,
              counters,
              Sleeper.SYSTEM,
              RandomGenerator.getDefault());
    }
    return writer;
  }

  @Override
  public void stop() {
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    writer = null;
  }

  @Override
  public String version() {
    return SinkVersion.get();
  }

  private ErrantRecordReporter reporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      // Workers before Kafka 2.6 have no reporter: 'report' then refuses to start.
      return null;
    }
  }
}
