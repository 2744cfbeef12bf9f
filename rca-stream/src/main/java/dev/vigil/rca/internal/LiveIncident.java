package dev.vigil.rca.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.vigil.schemas.RootCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incident while it is open: its members, what it absorbed, its latest ranking and what was last
 * published. Mutable; owned by the {@link IncidentBook}.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class LiveIncident {
  String id;
  long openedAt;
  long updatedAt;
  long resolvedAt;
  boolean resolved;
  String mergedInto;
  int version;
  int anomalies;
  TreeMap<String, Member> members = new TreeMap<>();
  List<RankedCause> rootCauses = new ArrayList<>();
  String publishedDigest = "";

  LiveIncident() {}

  LiveIncident(String id, long openedAt) {
    this.id = id;
    this.openedAt = openedAt;
    this.updatedAt = openedAt;
  }

  /** The incident id. */
  public String id() {
    return id;
  }

  /** Start of its first anomaly, epoch millis. */
  public long openedAt() {
    return openedAt;
  }

  /** When its latest version was published, epoch millis. */
  public long updatedAt() {
    return updatedAt;
  }

  /** Whether it has resolved (or was merged into another). */
  public boolean resolved() {
    return resolved;
  }

  /** When it resolved, epoch millis; 0 while open. */
  public long resolvedAt() {
    return resolvedAt;
  }

  /** The incident this one was merged into, or null. */
  public String mergedInto() {
    return mergedInto;
  }

  /** Its latest published version; 0 before the first. */
  public int version() {
    return version;
  }

  /** Anomalous episodes folded in so far. */
  public int anomalies() {
    return anomalies;
  }

  /** Its anomalous services by name. */
  public Map<String, Member> members() {
    return members;
  }

  /** The latest ranking, best first. */
  public List<RankedCause> rootCauses() {
    return rootCauses;
  }

  /**
   * One ranked root cause, as stored.
   *
   * @param service service or virtual node
   * @param score combined score in [0,1]
   * @param reasons readable evidence
   */
  public record RankedCause(String service, double score, List<String> reasons) {
    /** As the schema's record. */
    public RootCause toRootCause() {
      return new RootCause(service, score, reasons);
    }
  }
}
