package dev.vigil.forecast.sagemaker;

import java.util.Locale;

/** Why a batch got no SageMaker forecast; carried by the fallback forecast. */
public enum FailureReason {
  /** The breaker is open: no call was made. */
  BREAKER_OPEN,
  /** Every request slot and queue place was taken: no call was made. */
  SATURATED,
  /** No answer within the timeout. */
  TIMEOUT,
  /** HTTP 429 or a ThrottlingException. */
  THROTTLED,
  /** Any other error status or client failure. */
  ERROR,
  /** An answer that is not a DeepAR response for the batch. */
  BAD_RESPONSE;

  /** Lower-case label, as in metrics and the forecast's {@code fallbackReason}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
