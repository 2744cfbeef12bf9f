package dev.vigil.bridge.internal;

import java.util.Locale;

/** Why the bridge refused a request or some of its items; a metric tag. */
public enum RejectReason {
  MALFORMED,
  UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_ENCODING,
  TOO_LARGE,
  METHOD_NOT_ALLOWED,
  NOT_FOUND,
  UNAUTHENTICATED,
  THROTTLED,
  KAFKA_UNAVAILABLE,
  ITEM_TOO_LARGE,
  OTHER;

  /** Lower-case tag value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
