package dev.vigil.bridge.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the bridge needs of an encoded {@code Export*ServiceRequest} (each resource batch's
 * place in the bytes, its resource, and how many items it holds) without building the items.
 *
 * <p>Decoding the whole request built every data point, span and log record, with their attributes,
 * only to count them and throw them away: 71 % of the bridge's CPU in a data-point ramp
 * (perf/README, "Where the bridge's time goes"). Here the items are skipped by their length. The
 * levels it walks (request, resource batch, scope batch and, for metrics, metric and its data) are
 * read as protobuf reads them: a repeated occurrence of a message field merges into the first, a
 * oneof keeps its last case, a known field number with another wire type is an unknown field. The
 * contents of the items are not decoded: that is the enrichment's work, and it sends a record whose
 * items do not decode to its DLQ with the reason.
 *
 * <p>Written over protobuf's own {@link CodedInputStream}, which reads the wire format; the
 * generated classes only parse whole messages.
 */
final class ResourceScan {
  // Field numbers shared by the three signals' shapes (opentelemetry-proto v1).
  private static final int REQUEST_RESOURCES = 1;
  private static final int BATCH_RESOURCE = 1;
  private static final int BATCH_SCOPES = 2;
  private static final int SCOPE_ITEMS = 2;
  // Metric's data oneof; each case holds its data points in field 1.
  private static final int[] METRIC_DATA = {
    Metric.GAUGE_FIELD_NUMBER,
    Metric.SUM_FIELD_NUMBER,
    Metric.HISTOGRAM_FIELD_NUMBER,
    Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER,
    Metric.SUMMARY_FIELD_NUMBER
  };
  private static final int DATA_POINTS = 1;

  private ResourceScan() {}

  /**
   * One resource batch of the request.
   *
   * @param start where its field entry in the request starts: from there to {@code end}, an export
   *     request of this batch alone
   * @param end where it ends
   * @param resource its resource, decoded
   * @param items its data points, spans or log records
   */
  record Batch(int start, int end, Resource resource, int items) {}

  /**
   * The resource batches of {@code request}.
   *
   * @throws IOException when the levels it reads are not valid protobuf; decoding the request with
   *     the generated class then names the fault
   */
  static List<Batch> scan(OtlpSignal signal, byte[] request) throws IOException {
    Counter item = signal == OtlpSignal.METRICS ? ResourceScan::dataPoints : ResourceScan::one;
    Counter scopeItems = scope -> sumOver(scope, SCOPE_ITEMS, item);
    List<Batch> batches = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(request);
    while (!in.isAtEnd()) {
      int start = in.getTotalBytesRead();
      int tag = in.readTag();
      if (!isMessage(tag, REQUEST_RESOURCES)) {
        skip(in, tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      Resource.Builder resource = Resource.newBuilder();
      int items = 0;
      while (!in.isAtEnd()) {
        int field = in.readTag();
        if (isMessage(field, BATCH_RESOURCE)) {
          in.readMessage(resource, ExtensionRegistryLite.getEmptyRegistry());
        } else if (isMessage(field, BATCH_SCOPES)) {
          items += inMessage(in, scopeItems);
        } else {
          skip(in, field);
        }
      }
      in.popLimit(limit);
      batches.add(new Batch(start, in.getTotalBytesRead(), resource.build(), items));
    }
    return batches;
  }

  /**
   * The sum of {@code count} over the current message's field-{@code number} messages; other fields
   * are skipped.
   */
  private static int sumOver(CodedInputStream in, int number, Counter count) throws IOException {
    int sum = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (isMessage(tag, number)) {
        sum += inMessage(in, count);
      } else {
        skip(in, tag);
      }
    }
    return sum;
  }

  /** An item that counts as one, skipped without reading it. */
  private static int one(CodedInputStream in) throws IOException {
    in.skipRawBytes(in.getBytesUntilLimit());
    return 1;
  }

  /** Data points of one metric: those of the last data case, merged over its occurrences. */
  private static int dataPoints(CodedInputStream in) throws IOException {
    int dataCase = 0;
    int points = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int number = WireFormat.getTagFieldNumber(tag); // public, unlike WireFormat.makeTag
      if (isData(number) && isMessage(tag, number)) {
        int counted = inMessage(in, data -> sumOver(data, DATA_POINTS, ResourceScan::one));
        points = number == dataCase ? points + counted : counted;
        dataCase = number;
      } else {
        skip(in, tag);
      }
    }
    return points;
  }

  private static boolean isData(int number) {
    for (int data : METRIC_DATA) {
      if (number == data) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMessage(int tag, int number) {
    return tag == (number << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED);
  }

  /** Reads a length-delimited field's value with {@code count} and returns its result. */
  private static int inMessage(CodedInputStream in, Counter count) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    int counted = count.count(in);
    in.popLimit(limit);
    return counted;
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      // An end-group tag where no group is open: protobuf refuses the message.
      throw new IOException("unexpected end-group tag " + tag);
    }
  }

  @FunctionalInterface
  private interface Counter {
    int count(CodedInputStream in) throws IOException;
  }
}
