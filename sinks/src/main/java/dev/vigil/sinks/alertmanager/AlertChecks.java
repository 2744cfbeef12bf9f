package dev.vigil.sinks.alertmanager;

import dev.vigil.schemas.Alert;
import dev.vigil.sinks.common.MalformedRecordException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks Alertmanager makes on a posted alert, made before posting: Alertmanager stores the
 * valid alerts of a request and answers 400 for the rest, so an invalid one must be caught here to
 * reach the dead-letter queue instead of failing the task.
 */
final class AlertChecks {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private AlertChecks() {}

  /**
   * @throws MalformedRecordException saying what Alertmanager would refuse
   */
  static void check(String fingerprint, Alert alert) {
    if (alert.getLabels().isEmpty()) {
      throw new MalformedRecordException("alert " + fingerprint + " has no labels");
    }
    for (Map.Entry<String, String> label : alert.getLabels().entrySet()) {
      if (!LABEL_NAME.matcher(label.getKey()).matches()) {
        throw new MalformedRecordException(
            "alert " + fingerprint + " has an invalid label name '" + label.getKey() + "'");
      }
      if (label.getValue().isEmpty()) {
        throw new MalformedRecordException(
            "alert " + fingerprint + " has an empty value for label " + label.getKey());
      }
    }
    for (String name : alert.getAnnotations().keySet()) {
      if (!LABEL_NAME.matcher(name).matches()) {
        throw new MalformedRecordException(
            "alert " + fingerprint + " has an invalid annotation name '" + name + "'");
      }
    }
    if (alert.getEndsAt() != null && alert.getEndsAt().isBefore(alert.getStartsAt())) {
      throw new MalformedRecordException(
          "alert "
              + fingerprint
              + " ends ("
              + alert.getEndsAt()
              + ") before it starts ("
              + alert.getStartsAt()
              + ")");
    }
  }
}
