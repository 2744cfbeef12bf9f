package dev.vigil.bridge.internal;

import java.util.List;

/**
 * An OTLP request cut into Kafka records.
 *
 * @param records one or more records per resource, each under the record size limit
 * @param rejectedItems items that alone exceed the record size limit
 * @param rejectionMessage why they were rejected, empty if none was
 */
public record SplitRequest(List<OtlpRecord> records, int rejectedItems, String rejectionMessage) {
  /** Copies the list. */
  public SplitRequest {
    records = List.copyOf(records);
  }

  /** Items in the records. */
  public int acceptedItems() {
    return records.stream().mapToInt(OtlpRecord::items).sum();
  }

  /** Bytes of all record values. */
  public long bytes() {
    return records.stream().mapToLong(r -> r.value().length).sum();
  }
}
