package dev.vigil.bridge.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.bridge.internal.BridgeMetrics.Protocol;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol-independent heart of the bridge: decode a request and split it into records, take
 * room in the in-flight budget, write to Kafka, and report what happened once Kafka acknowledged.
 */
public final class Ingest {
  private static final Logger LOGGER = LoggerFactory.getLogger(Ingest.class);

  private final Map<OtlpSignal, String> topics;
  private final RequestSplitter splitter;
  private final InflightBudget budget;
  private final KafkaWriter writer;
  private final BridgeMetrics metrics;

  /**
   * @param topics target topic of each signal
   * @param splitter cuts requests into records
   * @param budget bounds bytes in flight
   * @param writer writes records
   * @param metrics counts everything
   */
  public Ingest(
      Map<OtlpSignal, String> topics,
      RequestSplitter splitter,
      InflightBudget budget,
      KafkaWriter writer,
      BridgeMetrics metrics) {
    this.topics = new EnumMap<>(topics);
    this.splitter = splitter;
    this.budget = budget;
    this.writer = writer;
    this.metrics = metrics;
  }

  /**
   * Writes one export request encoded in protobuf.
   *
   * @param tenant authenticated tenant, or null
   * @return completes (never exceptionally) once the outcome is known
   * @throws InvalidProtocolBufferException when the request is not valid protobuf: nothing written
   */
  public CompletableFuture<IngestResult> ingestProtobuf(
      OtlpSignal signal, byte[] request, Protocol protocol, String tenant)
      throws InvalidProtocolBufferException {
    return write(signal, splitter.split(signal, request), protocol, tenant);
  }

  /**
   * Writes one export request encoded in OTLP/JSON.
   *
   * @param tenant authenticated tenant, or null
   * @return completes (never exceptionally) once the outcome is known
   * @throws InvalidProtocolBufferException when the request is not valid OTLP/JSON: nothing written
   */
  public CompletableFuture<IngestResult> ingestJson(
      OtlpSignal signal, byte[] request, Protocol protocol, String tenant)
      throws InvalidProtocolBufferException {
    return write(
        signal, splitter.split(signal, OtlpDecoder.json(signal, request)), protocol, tenant);
  }

  private CompletableFuture<IngestResult> write(
      OtlpSignal signal, SplitRequest split, Protocol protocol, String tenant) {
    int accepted = split.acceptedItems();
    metrics.received(signal, protocol, accepted + split.rejectedItems());
    metrics.rejected(signal, RejectReason.ITEM_TOO_LARGE, split.rejectedItems());
    long bytes = split.bytes();
    if (!budget.tryAcquire(bytes)) {
      metrics.rejected(signal, RejectReason.THROTTLED, accepted);
      return CompletableFuture.completedFuture(
          new IngestResult(
              IngestResult.Outcome.THROTTLED,
              accepted + split.rejectedItems(),
              "the bridge has " + budget.used() + " bytes waiting for Kafka; retry later"));
    }
    Timer.Sample sample = Timer.start();
    return writer
        .write(topics.get(signal), split.records(), tenant)
        .handle(
            (ok, error) -> {
              budget.release(bytes);
              sample.stop(metrics.produceTimer());
              if (error != null) {
                LOGGER.debug("Kafka did not acknowledge a {} request", signal, error);
                metrics.rejected(signal, RejectReason.KAFKA_UNAVAILABLE, accepted);
                return new IngestResult(
                    IngestResult.Outcome.UNAVAILABLE,
                    accepted + split.rejectedItems(),
                    "Kafka did not acknowledge the data: " + error.getMessage() + "; retry later");
              }
              metrics.accepted(signal, accepted);
              return new IngestResult(
                  IngestResult.Outcome.ACCEPTED, split.rejectedItems(), split.rejectionMessage());
            });
  }
}
