package dev.vigil.runtime.topics;

import java.util.List;

/**
 * What provisioning or verification found.
 *
 * @param created topics created now
 * @param missing topics that do not exist (verification only)
 * @param mismatches one line per setting that differs from the catalog
 * @param verified topics that exist and were compared
 */
public record ProvisionReport(
    List<String> created, List<String> missing, List<String> mismatches, List<String> verified) {
  /** Copies the lists. */
  public ProvisionReport {
    created = List.copyOf(created);
    missing = List.copyOf(missing);
    mismatches = List.copyOf(mismatches);
    verified = List.copyOf(verified);
  }

  /** True when every topic exists and matches the catalog. */
  public boolean ok() {
    return missing.isEmpty() && mismatches.isEmpty();
  }
}
