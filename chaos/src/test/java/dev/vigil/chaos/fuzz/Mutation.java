package dev.vigil.chaos.fuzz;

import java.util.Arrays;
import java.util.List;

/** The kinds of damage {@link OtlpMutator} does, and the encodings each applies to. */
public enum Mutation {
  /** 1–8 random bits flipped anywhere in the body. */
  BIT_FLIP(true, true),
  /** The body cut at a random byte. */
  TRUNCATE(true, true),
  /** A repeated message (resource, scope, item, attribute) or a JSON key written again. */
  DUPLICATE_FIELD(true, true),
  /** A protobuf tag with another wire type, or a JSON value of another type. */
  WRONG_TYPE(true, true),
  /** A string field of 70 KB, 300 KB or 1.2 MB (over the bridge's request limit). */
  HUGE_STRING(true, true),
  /** A length prefix larger than the message, or a number no integer type holds. */
  HUGE_LENGTH(true, true),
  /** An attribute value nested 10 to 3,000 levels deep. */
  DEEP_NESTING(true, true),
  /** A string field holding bytes that are not UTF-8. */
  INVALID_UTF8(true, true),
  /** An enum (span kind, status, severity, temporality) set to a number it does not define. */
  BAD_ENUM(true, true),
  /** A double value set to NaN, ±Infinity, -0 or ±Double.MAX_VALUE. */
  NAN_INF(true, true),
  /** A timestamp set to 0, 1 ns, year 2100, Long.MAX_VALUE, 2^64-1 or before its start. */
  ABSURD_TIMESTAMP(true, true),
  /** A trace or span id that is empty or of the wrong length. */
  BAD_ID(true, true);

  private final boolean protobuf;
  private final boolean json;

  Mutation(boolean protobuf, boolean json) {
    this.protobuf = protobuf;
    this.json = json;
  }

  /** The mutations that apply to an encoding. */
  public static List<Mutation> forEncoding(Encoding encoding) {
    return Arrays.stream(values())
        .filter(m -> encoding == Encoding.PROTOBUF ? m.protobuf : m.json)
        .toList();
  }

  /** OTLP's two encodings. */
  public enum Encoding {
    PROTOBUF,
    JSON
  }
}
