package dev.vigil.sinks.search;

/**
 * What the engine answered for one action of a {@code _bulk} request.
 *
 * @param status HTTP status of the item
 * @param errorType the error's {@code type} (e.g. {@code mapper_parsing_exception}), or null
 * @param reason the error's {@code reason}, with its cause when there is one, or null
 */
record BulkItemResult(int status, String errorType, String reason) {
  private static final String VERSION_CONFLICT = "version_conflict_engine_exception";

  /** What the sink does with an item. */
  enum Outcome {
    /** Indexed. */
    OK,
    /**
     * Already there: a {@code create} refused with 409 because the id exists. The ids are
     * deterministic, so this is a redelivered record (data streams only accept {@code create}).
     */
    DUPLICATE,
    /** Throttled (429) or the engine failed (5xx): send it again after a pause. */
    RETRY,
    /** The document itself is refused (400 mapping or parse errors...): not worth retrying. */
    MALFORMED
  }

  /** The outcome of this item. */
  Outcome outcome() {
    if (status >= 200 && status < 300) {
      return Outcome.OK;
    }
    if (status == 404 && errorType == null) {
      return Outcome.OK; // a delete of a document that is not there: the goal is reached
    }
    if (status == 409 && VERSION_CONFLICT.equals(errorType)) {
      return Outcome.DUPLICATE;
    }
    if (status == 429 || status >= 500) {
      return Outcome.RETRY;
    }
    return Outcome.MALFORMED;
  }

  /** "status type: reason", for logs and the DLQ. */
  String describe() {
    return status + " " + errorType + ": " + reason;
  }
}
