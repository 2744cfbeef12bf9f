package dev.vigil.rca.internal;

/**
 * What an incident remembers of one anomalous episode of one series.
 *
 * @param id episode id from the anomaly stream
 * @param signal the series' signal, e.g. http.server.request.duration or service.health
 * @param signalType what the numbers mean (LATENCY, ERRORS, ...)
 * @param startedAt start of the episode, epoch millis
 * @param lastAt latest event of the episode, epoch millis
 * @param maxScore highest calibrated score seen
 * @param severity highest severity seen
 * @param direction UP or DOWN
 * @param observed observed value at the highest score
 * @param expected expected value at the highest score
 * @param statistic which value of the window those are (p95, trimmedMean, ...), null if the type
 *     has only one
 * @param ended whether the episode has ended
 */
public record Episode(
    String id,
    String signal,
    String signalType,
    long startedAt,
    long lastAt,
    double maxScore,
    String severity,
    String direction,
    double observed,
    double expected,
    String statistic,
    boolean ended) {

  /** Whether the episode counts as over at {@code now}: ended, or silent for {@code stale}. */
  public boolean overAt(long now, long stale) {
    return ended || now - lastAt >= stale;
  }
}
