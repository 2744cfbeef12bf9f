package dev.vigil.sinks.prometheus;

import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.serde.VigilSerdes;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.MalformedRecordException;
import dev.vigil.sinks.common.MalformedRecords;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.common.Redelivery;
import dev.vigil.sinks.common.SinkTaskMetrics;
import dev.vigil.sinks.common.SinkVersion;
import dev.vigil.sinks.common.VigilValues;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each record into samples ({@link SampleMapper}) and writes them synchronously in {@link
 * #put}; Connect commits a record's offset only after {@code put} returned, and the task asks for
 * that commit at once, so a restart redelivers as little as possible, and what it does redeliver is
 * dropped by {@link PrometheusWriter} instead of being refused by the receiver.
 */
public final class PrometheusSinkTask extends SinkTask {
  private static final Logger LOGGER = LoggerFactory.getLogger(PrometheusSinkTask.class);

  private SinkTaskMetrics metrics;
  private SampleMapper mapper;
  private PrometheusWriter writer;
  private MalformedRecords malformed;
  private Duration redeliveryDelay;
  private SinkTaskMetrics.Counter redelivered;

  @Override
  public String version() {
    return SinkVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    PrometheusSinkConfig config = new PrometheusSinkConfig(props);
    metrics = new SinkTaskMetrics(context);
    redeliveryDelay = config.http().retry().maxBackoff();
    mapper = new SampleMapper(config.forecastHorizons());
    HttpTarget target = new HttpTarget(config.http());
    redelivered = metrics.deliveryCounters(target);
    writer =
        new PrometheusWriter(
            target,
            new RemoteWriteEncoder(config.batchMaxBytes()),
            new PrometheusWriter.Counters(
                metrics.counter("samples-written", "Samples the receiver accepted."),
                metrics.counter(
                    "samples-stale-dropped",
                    "Samples dropped because their series already had a newer one."),
                metrics.counter(
                    "samples-duplicate-skipped",
                    "Redelivered samples the receiver already had, not resent."),
                metrics.counter("requests", "Remote-write requests sent.")));
    malformed =
        new MalformedRecords(
            PrometheusSinkConfig.BEHAVIOR_ON_MALFORMED_CONFIG,
            config.behaviorOnMalformed(),
            reporter(),
            metrics.counter("malformed-records", "Records that were not a signal or forecast."),
            Clock.systemUTC());
    LOGGER.info("Prometheus sink task started, writing to {}", config.http().baseUrl());
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    List<Sample> samples = new ArrayList<>(records.size() * 10);
    for (SinkRecord record : records) {
      try {
        samples.addAll(samplesOf(record));
      } catch (MalformedRecordException | SerializationException e) {
        malformed.handle(record, e);
      }
    }
    Redelivery.after(context, redeliveryDelay, redelivered, () -> writer.write(samples));
    context.requestCommit();
  }

  @Override
  public void stop() {
    if (metrics != null) {
      metrics.close();
    }
  }

  private List<Sample> samplesOf(SinkRecord record) {
    SeriesKey key =
        VigilSerdes.SERIES_KEY.deserializer().deserialize(record.topic(), RecordBytes.key(record));
    SpecificRecord value = VigilValues.decode(record.topic(), RecordBytes.value(record));
    if (value instanceof SignalWindow window) {
      return mapper.samples(key, window);
    }
    if (value instanceof Forecast forecast) {
      return mapper.samples(key, forecast);
    }
    throw new MalformedRecordException(
        "record "
            + RecordBytes.coordinates(record)
            + " holds a "
            + value.getClass().getSimpleName()
            + ", expected a SignalWindow or a Forecast");
  }

  private ErrantRecordReporter reporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      // Workers before Kafka 2.6 have no reporter.
      return null;
    }
  }
}
