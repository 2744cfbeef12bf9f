package dev.vigil.enrichment.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Small helpers over OTLP messages. */
public final class Otlp {
  /** Service name of a resource without {@code service.name}, as the OTel SDKs default it. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  private static final SortedMap<String, String> NO_DIMS = new TreeMap<>();

  private Otlp() {}

  /** The resource's {@code service.name}, or {@value #UNKNOWN_SERVICE}. */
  public static String serviceName(Resource resource) {
    String name = attribute(resource.getAttributesList(), "service.name");
    return name == null || name.isEmpty() ? UNKNOWN_SERVICE : name;
  }

  /** The value of an attribute as a string, or null when absent. */
  public static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return text(kv.getValue());
      }
    }
    return null;
  }

  /** Allow-listed attributes, sorted by key. */
  public static SortedMap<String, String> dims(List<KeyValue> attributes, Set<String> allowed) {
    SortedMap<String, String> dims = null;
    for (KeyValue kv : attributes) {
      if (allowed.contains(kv.getKey())) {
        if (dims == null) {
          dims = new TreeMap<>();
        }
        dims.put(kv.getKey(), text(kv.getValue()));
      }
    }
    return dims == null ? NO_DIMS : dims;
  }

  /** Every attribute as {@code key=value} pairs in key order: the identity of a raw stream. */
  public static String identity(List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return "";
    }
    TreeMap<String, String> all = new TreeMap<>();
    for (KeyValue kv : attributes) {
      all.put(kv.getKey(), text(kv.getValue()));
    }
    StringBuilder out = new StringBuilder();
    all.forEach((k, v) -> out.append(k).append('\u0002').append(v).append('\u0001'));
    return out.toString();
  }

  /** A scalar attribute value as text; arrays and maps in their proto text form. */
  public static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case VALUE_NOT_SET -> "";
      default -> value.toString().trim();
    };
  }
}
