package dev.vigil.sinks.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.sinks.common.HttpStatusException;
import dev.vigil.sinks.common.HttpTarget;
import dev.vigil.sinks.common.HttpTarget.Request;
import dev.vigil.sinks.common.HttpTarget.Response;
import dev.vigil.sinks.common.MalformedRecordException;
import dev.vigil.sinks.common.MalformedRecords;
import dev.vigil.sinks.common.OtlpValues;
import dev.vigil.sinks.common.RecordBytes;
import dev.vigil.sinks.common.RetryPolicy;
import dev.vigil.sinks.common.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes a task's records: each record becomes one document (Vigil's records) or one per log record
 * (OTLP logs), sent in {@code _bulk} requests cut by count and size.
 *
 * <p>Failures are sorted per document: indexed or already there (a redelivered {@code create}) is
 * done; 429 and 5xx are sent again, alone, with backoff, and when the retries are spent the whole
 * batch goes back to Connect ({@link RetriableException}), which redelivers it (ids are
 * deterministic, so what was already written is not duplicated); any other refusal is a malformed
 * document and follows {@code behavior.on.malformed.documents}. Not thread-safe: one per task.
 */
final class SearchWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String NDJSON = "application/x-ndjson";

  private final SearchSinkConfig config;
  private final HttpTarget target;
  private final IndexSetup setup;
  private final Set<String> logsTopics;
  private final String logsIndex;
  private final BulkAction.Op logsOp;
  private final OtlpLogDocuments logDocuments;
  private final MalformedRecords malformed;
  private final SearchCounters counters;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final NdjsonBulkWriter ndjson = new NdjsonBulkWriter();

  SearchWriter(
      SearchSinkConfig config,
      HttpTarget target,
      IndexSetup setup,
      boolean logsDataStream,
      MalformedRecords malformed,
      SearchCounters counters,
      Sleeper sleeper,
      RandomGenerator random) {
    this.config = config;
    this.target = target;
    this.setup = setup;
    this.logsTopics = Set.copyOf(config.logsTopics());
    this.logsIndex = config.logsDataStream();
    // Data streams only accept create: a redelivered log record then meets a 409 (DUPLICATE).
    this.logsOp = logsDataStream ? BulkAction.Op.CREATE : BulkAction.Op.INDEX;
    this.logDocuments = new OtlpLogDocuments(SearchSinkConfig.LOGS_DATASET, config.logsNamespace());
    this.malformed = malformed;
    this.counters = counters;
    this.sleeper = sleeper;
    this.random = random;
  }

  /**
   * Writes the records; returns when every document is indexed or dealt with as malformed.
   *
   * @throws RetriableException if the cluster kept refusing with 429/5xx or could not be reached
   * @throws ConnectException if the cluster refuses the request itself (e.g. 401, 403)
   */
  void write(Collection<SinkRecord> records) {
    List<Pending> pending = new ArrayList<>();
    for (SinkRecord record : records) {
      try {
        addActions(record, pending);
      } catch (MalformedRecordException e) {
        malformed.handle(record, e);
      }
    }
    int from = 0;
    while (from < pending.size()) {
      int to = cut(pending, from);
      send(pending.subList(from, to));
      from = to;
    }
  }

  private void addActions(SinkRecord record, List<Pending> out) {
    if (logsTopics.contains(record.topic())) {
      byte[] value = RecordBytes.value(record);
      long fallback = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
      List<ObjectNode> docs =
          logDocuments.documents(OtlpValues.logs(record.topic(), value), fallback);
      String base = DocumentIds.fromOffset(record);
      for (int i = 0; i < docs.size(); i++) {
        out.add(
            new Pending(
                new BulkAction(logsOp, logsIndex, base + "+" + i, bytes(docs.get(i))), record));
      }
      return;
    }
    String index = record.topic().toLowerCase(Locale.ROOT);
    if (record.value() == null) {
      // A tombstone: with ids from the key it deletes the key's document, as compaction will.
      if (config.documentIds() != DocumentIdStrategy.OFFSET && record.key() != null) {
        out.add(new Pending(BulkAction.delete(index, DocumentIds.fromKey(record)), record));
        return;
      }
      throw new MalformedRecordException(
          "record " + RecordBytes.coordinates(record) + " has a null value");
    }
    VigilDocuments.Document doc = VigilDocuments.of(record);
    setup.ensureIndex(index, doc.type());
    out.add(
        new Pending(
            new BulkAction(BulkAction.Op.INDEX, index, id(record, doc), bytes(doc.source())),
            record));
  }

  private String id(SinkRecord record, VigilDocuments.Document doc) {
    if (config.documentIds() == DocumentIdStrategy.AUTO && doc.windowStart() != null) {
      try {
        return DocumentIds.fromKeyAndWindow(record, doc.windowStart());
      } catch (IllegalArgumentException e) {
        throw new MalformedRecordException(
            RecordBytes.coordinates(record) + ": " + e.getMessage(), e);
      }
    }
    boolean fromKey =
        switch (config.documentIds()) {
          case KEY -> true;
          case OFFSET -> false;
          case AUTO -> doc.keyed();
        };
    if (!fromKey) {
      return DocumentIds.fromOffset(record);
    }
    try {
      return DocumentIds.fromKey(record);
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException(
          RecordBytes.coordinates(record) + ": " + e.getMessage(), e);
    }
  }

  /** The end (exclusive) of the batch starting at {@code from}: at least one action. */
  private int cut(List<Pending> pending, int from) {
    long bytes = 0;
    int to = from;
    while (to < pending.size() && to - from < config.bulkMaxActions()) {
      long size = NdjsonBulkWriter.sizeOf(pending.get(to).action());
      if (to > from && bytes + size > config.bulkMaxBytes()) {
        break;
      }
      bytes += size;
      to++;
    }
    return to;
  }

  private void send(List<Pending> batch) {
    RetryPolicy policy = target.settings().retry();
    List<Pending> remaining = batch;
    for (int attempt = 0; ; attempt++) {
      List<BulkItemResult> results = bulk(remaining);
      List<Pending> retry = new ArrayList<>();
      Map<SinkRecord, BulkItemResult> refused = new LinkedHashMap<>();
      for (int i = 0; i < results.size(); i++) {
        BulkItemResult result = results.get(i);
        Pending item = remaining.get(i);
        switch (result.outcome()) {
          case OK -> counters.indexed().increment();
          case DUPLICATE -> counters.duplicates().increment();
          case RETRY -> retry.add(item);
          case MALFORMED -> refused.putIfAbsent(item.record(), result);
        }
      }
      // One report per record, even when several of its log records were refused.
      refused.forEach(
          (record, result) ->
              malformed.handle(
                  record,
                  new MalformedRecordException(
                      "document refused by the cluster: " + result.describe())));
      if (retry.isEmpty()) {
        return;
      }
      if (attempt >= policy.maxRetries()) {
        throw new RetriableException(
            retry.size()
                + " documents still refused with 429/5xx after "
                + (attempt + 1)
                + " attempts (first: "
                + results.get(remaining.indexOf(retry.get(0))).describe()
                + "); Connect redelivers the batch");
      }
      counters.retried().add(retry.size());
      pause(policy.delay(attempt, Optional.empty(), random));
      remaining = retry;
    }
  }

  private List<BulkItemResult> bulk(List<Pending> batch) {
    List<BulkAction> actions = new ArrayList<>(batch.size());
    batch.forEach(p -> actions.add(p.action()));
    byte[] body = ndjson.write(actions);
    counters.requests().increment();
    Response response = target.exchange(Request.post("/_bulk", NDJSON, body));
    if (!response.isSuccess()) {
      HttpStatusException refused =
          new HttpStatusException("POST", "/_bulk", response.status(), response.body());
      if (refused.isRetriable()) {
        throw new RetriableException(
            refused.getMessage() + "; Connect redelivers the batch", refused);
      }
      throw refused;
    }
    try {
      return BulkResponseParser.parse(
          response.body().getBytes(StandardCharsets.UTF_8), actions.size());
    } catch (IOException e) {
      throw new ConnectException("cannot read the _bulk response: " + e.getMessage(), e);
    }
  }

  private void pause(java.time.Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while waiting to retry documents", e);
    }
  }

  private static byte[] bytes(ObjectNode doc) {
    try {
      return MAPPER.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a document", e);
    }
  }

  /** An action and the record it came from (to report it if the cluster refuses it). */
  private record Pending(BulkAction action, SinkRecord record) {}
}
