package dev.vigil.bridge.internal;

/**
 * One Kafka record of OTLP data: a serialized {@code Export*ServiceRequest} holding one resource.
 *
 * @param service the resource's {@code service.name}: the record key
 * @param value the serialized request
 * @param items data points, spans or log records it holds
 */
public record OtlpRecord(String service, byte[] value, int items) {}
