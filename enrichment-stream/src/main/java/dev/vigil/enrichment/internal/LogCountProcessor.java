package dev.vigil.enrichment.internal;

import dev.vigil.enrichment.EnrichmentSettings;
import dev.vigil.enrichment.internal.EnrichmentMetrics.Source;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Error and warning counts per service and window from log records: {@code log.errors} (severity
 * ERROR or worse) and {@code log.warnings} (WARN). Both are emitted for every window in which the
 * service logged anything, so a quiet minute reads as zero errors rather than as no data.
 */
public final class LogCountProcessor extends BatchWindowProcessor<ResourceLogs> {
  /** Open windows and watermark. */
  public static final String WINDOW_STORE = "enrichment-log-windows";

  private static final int SEVERITY_WARN = 13;
  private static final int SEVERITY_ERROR = 17;
  private static final TreeMap<String, String> NO_DIMS = new TreeMap<>();

  /** A processor with the given settings, counting into {@code metrics}. */
  public LogCountProcessor(EnrichmentSettings settings, EnrichmentMetrics metrics) {
    super(WINDOW_STORE, settings, metrics, Source.LOGS);
  }

  @Override
  void fold(String service, ResourceLogs resource) {
    String errorsId = SeriesIds.series(service, Signals.LOG_ERRORS, NO_DIMS);
    String warningsId = SeriesIds.series(service, Signals.LOG_WARNINGS, NO_DIMS);
    for (ScopeLogs scope : resource.getScopeLogsList()) {
      for (LogRecord log : scope.getLogRecordsList()) {
        long nanos =
            log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
        long timeMs = nanos / 1_000_000L;
        int severity = severity(log);
        Aggregate errors = aggregate(timeMs, service, errorsId, Aggregate.Kind.LOG_ERRORS, "1");
        if (errors == null) {
          continue;
        }
        errors.addLog(severity >= SEVERITY_ERROR);
        Aggregate warnings =
            windows.aggregate(timeMs, service, warningsId, Aggregate.Kind.LOG_WARNINGS, "1");
        if (warnings != null) {
          warnings.addLog(severity >= SEVERITY_WARN && severity < SEVERITY_ERROR);
        }
      }
    }
  }

  /** The OTLP severity number, derived from the severity text when the number is unset. */
  static int severity(LogRecord log) {
    int number = log.getSeverityNumberValue();
    if (number > 0) {
      return number;
    }
    String text = log.getSeverityText().toUpperCase(Locale.ROOT);
    if (text.startsWith("FATAL") || text.startsWith("CRIT") || text.startsWith("EMERG")) {
      return 21;
    }
    if (text.startsWith("ERR")) {
      return SEVERITY_ERROR;
    }
    if (text.startsWith("WARN")) {
      return SEVERITY_WARN;
    }
    return 0;
  }
}
