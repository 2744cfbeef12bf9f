package dev.vigil.sinks.common;

import org.apache.kafka.connect.errors.DataException;

/** A record a sink cannot use; the message is the reason that goes with it to the DLQ. */
public final class MalformedRecordException extends DataException {
  private static final long serialVersionUID = 1L;

  /** A record refused for {@code reason}. */
  public MalformedRecordException(String reason) {
    super(reason);
  }

  /** A record refused for {@code reason}, caused by {@code cause}. */
  public MalformedRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
