package dev.vigil.bridge.internal;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts an OTLP export request into Kafka records the way the Collector's Kafka exporter keys them
 * (one resource per record, keyed by {@code service.name}), and further splits a resource whose
 * batch would exceed the record size limit, where the Collector fails the whole batch instead.
 *
 * <p>The three signals share one shape (request → resource batches → scope batches → items), so
 * splitting works on protobuf descriptors; the common case, a resource under the limit, costs a
 * copy of its bytes from the request as it came (protobuf, without decoding its items), or one
 * serialization (OTLP/JSON).
 */
public final class RequestSplitter {
  /** Service name of a resource without one, as the OpenTelemetry specification says. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  // Bytes a length-delimited field adds around its message: tag + length varint (<= 5 bytes).
  private static final int FIELD_OVERHEAD = 6;

  private final int maxRecordBytes;

  /**
   * @param maxRecordBytes the largest record value to produce
   */
  public RequestSplitter(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Splits an encoded protobuf request of {@code signal}. A resource under the limit is copied from
   * the request's bytes as it came, its items counted without decoding them ({@link ResourceScan});
   * a resource over it is decoded and cut.
   *
   * @throws InvalidProtocolBufferException when the request is not valid protobuf
   */
  public SplitRequest split(OtlpSignal signal, byte[] encoded)
      throws InvalidProtocolBufferException {
    List<ResourceScan.Batch> batches;
    try {
      batches = ResourceScan.scan(signal, encoded);
    } catch (IOException e) {
      // Decoding names the fault, or, should protobuf read what the scan refused, splits it.
      return split(signal, OtlpDecoder.protobuf(signal, encoded));
    }
    Parts parts = new Parts();
    for (ResourceScan.Batch batch : batches) {
      byte[] alone = Arrays.copyOfRange(encoded, batch.start(), batch.end());
      if (alone.length <= maxRecordBytes) {
        parts.records.add(new OtlpRecord(serviceName(batch.resource()), alone, batch.items()));
      } else {
        add(Shape.of(signal), OtlpDecoder.protobuf(signal, alone), parts);
      }
    }
    return parts.done();
  }

  /** Splits a decoded request of {@code signal} (OTLP/JSON): each resource is encoded again. */
  public SplitRequest split(OtlpSignal signal, Message request) {
    Parts parts = new Parts();
    add(Shape.of(signal), request, parts);
    return parts.done();
  }

  private void add(Shape shape, Message request, Parts parts) {
    FieldDescriptor resourcesField =
        request.getDescriptorForType().findFieldByName(shape.resources);
    for (Object b : (List<?>) request.getField(resourcesField)) {
      Message batch = (Message) b;
      String service =
          serviceName(
              (Resource) batch.getField(batch.getDescriptorForType().findFieldByName("resource")));
      Message single = request.newBuilderForType().addRepeatedField(resourcesField, batch).build();
      if (single.getSerializedSize() <= maxRecordBytes) {
        parts.records.add(new OtlpRecord(service, single.toByteArray(), countItems(shape, batch)));
      } else {
        splitBatch(shape, request, resourcesField, batch, service, parts);
      }
    }
  }

  /** Records and rejections collected while splitting one request. */
  private static final class Parts {
    final List<OtlpRecord> records = new ArrayList<>();
    int rejected;
    final StringBuilder why = new StringBuilder();

    SplitRequest done() {
      return new SplitRequest(records, rejected, why.toString());
    }
  }

  private void splitBatch(
      Shape shape,
      Message request,
      FieldDescriptor resourcesField,
      Message batch,
      String service,
      Parts parts) {
    FieldDescriptor scopesField = batch.getDescriptorForType().findFieldByName(shape.scopes);
    Message emptyBatch = batch.toBuilder().clearField(scopesField).build();
    int base = emptyBatch.getSerializedSize() + 2 * FIELD_OVERHEAD;
    Message.Builder current = emptyBatch.toBuilder();
    int currentSize = base;
    int currentItems = 0;
    for (Object s : (List<?>) batch.getField(scopesField)) {
      Message scope = (Message) s;
      FieldDescriptor itemsField = scope.getDescriptorForType().findFieldByName(shape.items);
      Message emptyScope = scope.toBuilder().clearField(itemsField).build();
      int scopeBase = emptyScope.getSerializedSize() + FIELD_OVERHEAD;
      Message.Builder scopePart = null;
      for (Object i : (List<?>) scope.getField(itemsField)) {
        Message item = (Message) i;
        int itemSize = item.getSerializedSize() + FIELD_OVERHEAD;
        if (base + scopeBase + itemSize > maxRecordBytes) {
          parts.rejected += itemCount(item);
          if (parts.why.isEmpty()) {
            parts
                .why
                .append("an item of ")
                .append(service)
                .append(" is ")
                .append(itemSize)
                .append(" bytes, over the record limit of ")
                .append(maxRecordBytes);
          }
          continue;
        }
        int added = itemSize + (scopePart == null ? scopeBase : 0);
        if (currentSize + added > maxRecordBytes) {
          if (scopePart != null) {
            current.addRepeatedField(scopesField, scopePart.build());
          }
          parts.records.add(
              record(request, resourcesField, current.build(), service, currentItems));
          current = emptyBatch.toBuilder();
          currentSize = base;
          currentItems = 0;
          scopePart = null;
          added = itemSize + scopeBase;
        }
        if (scopePart == null) {
          scopePart = emptyScope.toBuilder();
        }
        scopePart.addRepeatedField(itemsField, item);
        currentSize += added;
        currentItems += itemCount(item);
      }
      if (scopePart != null) {
        current.addRepeatedField(scopesField, scopePart.build());
      }
    }
    if (currentItems > 0) {
      parts.records.add(record(request, resourcesField, current.build(), service, currentItems));
    }
  }

  private static OtlpRecord record(
      Message request, FieldDescriptor resourcesField, Message batch, String service, int items) {
    Message single = request.newBuilderForType().addRepeatedField(resourcesField, batch).build();
    return new OtlpRecord(service, single.toByteArray(), items);
  }

  /** Data points, spans or log records in a resource batch. */
  static int countItems(Shape shape, Message batch) {
    int count = 0;
    for (Object s :
        (List<?>) batch.getField(batch.getDescriptorForType().findFieldByName(shape.scopes))) {
      Message scope = (Message) s;
      List<?> items =
          (List<?>) scope.getField(scope.getDescriptorForType().findFieldByName(shape.items));
      if (shape == Shape.METRICS) {
        for (Object metric : items) {
          count += dataPoints((Metric) metric);
        }
      } else {
        count += items.size();
      }
    }
    return count;
  }

  private static int itemCount(Message item) {
    return item instanceof Metric metric ? dataPoints(metric) : 1;
  }

  /** Data points of one metric, whatever its type. */
  public static int dataPoints(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  /** The resource's {@code service.name}, or {@value #UNKNOWN_SERVICE}. */
  public static String serviceName(Resource resource) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if ("service.name".equals(attribute.getKey())
          && attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
          && !attribute.getValue().getStringValue().isBlank()) {
        return attribute.getValue().getStringValue();
      }
    }
    return UNKNOWN_SERVICE;
  }

  /** Field names of one signal's request shape. */
  enum Shape {
    METRICS("resource_metrics", "scope_metrics", "metrics"),
    TRACES("resource_spans", "scope_spans", "spans"),
    LOGS("resource_logs", "scope_logs", "log_records");

    final String resources;
    final String scopes;
    final String items;

    Shape(String resources, String scopes, String items) {
      this.resources = resources;
      this.scopes = scopes;
      this.items = items;
    }

    static Shape of(OtlpSignal signal) {
      return switch (signal) {
        case METRICS -> METRICS;
        case TRACES -> TRACES;
        case LOGS -> LOGS;
      };
    }
  }
}
