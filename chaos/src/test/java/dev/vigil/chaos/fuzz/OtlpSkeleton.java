package dev.vigil.chaos.fuzz;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.runtime.otlp.OtlpSignal;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * OTLP export requests read by protobuf itself down to their items, with the items left as opaque
 * bytes: what the ingest bridge reads of a protobuf request (it decodes each resource and counts
 * the items without decoding them). An independent count for requests the bridge accepts whose
 * items do not decode.
 *
 * <p>A schema of OTLP's shape, built at run time: request → resource batches (with the real {@link
 * Resource}) → scope batches → items; a metric keeps its data oneof, whose cases hold their data
 * points as bytes.
 */
public final class OtlpSkeleton {
  private static final String RESOURCE = "." + Resource.getDescriptor().getFullName();
  private static final FileDescriptor FILE = build();

  private OtlpSkeleton() {}

  /** Data points, spans or log records of {@code request}, read down to the items. */
  public static int items(OtlpSignal signal, byte[] request) throws InvalidProtocolBufferException {
    Descriptor type =
        FILE.findMessageTypeByName(signal == OtlpSignal.METRICS ? "Metrics" : "Items");
    int items = 0;
    for (Object batch : list(DynamicMessage.parseFrom(type, request), "batches")) {
      for (Object scope : list((DynamicMessage) batch, "scopes")) {
        for (Object item : list((DynamicMessage) scope, "items")) {
          items += signal == OtlpSignal.METRICS ? dataPoints((DynamicMessage) item) : 1;
        }
      }
    }
    return items;
  }

  private static int dataPoints(DynamicMessage metric) {
    var data = metric.getOneofFieldDescriptor(metric.getDescriptorForType().getOneofs().get(0));
    return data == null ? 0 : list((DynamicMessage) metric.getField(data), "points").size();
  }

  private static List<?> list(DynamicMessage message, String field) {
    return (List<?>) message.getField(message.getDescriptorForType().findFieldByName(field));
  }

  private static FileDescriptor build() {
    DescriptorProto.Builder metric =
        DescriptorProto.newBuilder()
            .setName("Metric")
            .addOneofDecl(OneofDescriptorProto.newBuilder().setName("data"));
    // The cases of the real Metric's data oneof, each holding its data points as bytes.
    for (FieldDescriptor data : Metric.getDescriptor().getOneofs().get(0).getFields()) {
      metric.addField(
          message(data.getName(), data.getNumber(), ".skeleton.Points", false).setOneofIndex(0));
    }
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("vigil/skeleton.proto")
            .setPackage("skeleton")
            .setSyntax("proto3")
            .addDependency(Resource.getDescriptor().getFile().getName())
            // Metrics: request → ResourceMetrics → ScopeMetrics → Metric → Points.
            .addMessageType(type("Metrics", message("batches", 1, ".skeleton.MetricBatch", true)))
            .addMessageType(
                type(
                    "MetricBatch",
                    message("resource", 1, RESOURCE, false),
                    message("scopes", 2, ".skeleton.MetricScope", true)))
            .addMessageType(type("MetricScope", message("items", 2, ".skeleton.Metric", true)))
            .addMessageType(metric)
            .addMessageType(type("Points", bytes("points", 1)))
            // Spans and logs: request → Resource* → Scope* → opaque items.
            .addMessageType(type("Items", message("batches", 1, ".skeleton.ItemBatch", true)))
            .addMessageType(
                type(
                    "ItemBatch",
                    message("resource", 1, RESOURCE, false),
                    message("scopes", 2, ".skeleton.ItemScope", true)))
            .addMessageType(type("ItemScope", bytes("items", 2)))
            .build();
    try {
      return FileDescriptor.buildFrom(
          file, new FileDescriptor[] {Resource.getDescriptor().getFile()});
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DescriptorProto type(String name, FieldDescriptorProto.Builder... fields) {
    DescriptorProto.Builder type = DescriptorProto.newBuilder().setName(name);
    for (FieldDescriptorProto.Builder field : fields) {
      type.addField(field);
    }
    return type.build();
  }

  private static FieldDescriptorProto.Builder message(
      String name, int number, String type, boolean repeated) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
        .setTypeName(type)
        .setLabel(
            repeated
                ? FieldDescriptorProto.Label.LABEL_REPEATED
                : FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder bytes(String name, int number) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(FieldDescriptorProto.Type.TYPE_BYTES)
        .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
  }
}
