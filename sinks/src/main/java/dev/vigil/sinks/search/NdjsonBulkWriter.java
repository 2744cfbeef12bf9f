package dev.vigil.sinks.search;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes {@code _bulk} request bodies: for each action a metadata line ({@code
 * {"index":{"_index":"i","_id":"x"}}}) and a source line, each ending with a newline, as the NDJSON
 * protocol of Elasticsearch and OpenSearch requires.
 *
 * <p>Sources are copied as the bytes they already are: the documents are serialised once, when they
 * are built, and never parsed again here. Not thread-safe; reuse one per task.
 *
 * <p>Not public API: public only for the benchmark in {@code perf/}.
 */
public final class NdjsonBulkWriter {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte NEWLINE = '\n';

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);

  /** The NDJSON body of {@code actions}. */
  public byte[] write(List<BulkAction> actions) {
    out.reset();
    for (BulkAction action : actions) {
      append(action);
    }
    return out.toByteArray();
  }

  /** Bytes one action adds to a body: metadata line, source and two newlines. */
  public static int sizeOf(BulkAction action) {
    // Metadata line: {"op":{"_index":"..","_id":".."}} is at most ~30 bytes plus the escaped
    // strings; an estimate is enough to cut batches by size.
    return 32
        + action.op().wireName().length()
        + action.index().length() * 2
        + action.id().length() * 2
        + action.source().length
        + 2;
  }

  private void append(BulkAction action) {
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      gen.writeStartObject();
      gen.writeObjectFieldStart(action.op().wireName());
      gen.writeStringField("_index", action.index());
      gen.writeStringField("_id", action.id());
      gen.writeEndObject();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bulk metadata", e);
    }
    out.write(NEWLINE);
    if (action.op() != BulkAction.Op.DELETE) {
      out.writeBytes(action.source());
      out.write(NEWLINE);
    }
  }
}
