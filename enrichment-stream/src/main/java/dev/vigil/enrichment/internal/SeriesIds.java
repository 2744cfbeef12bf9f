package dev.vigil.enrichment.internal;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Compact string identities of series and edges, used as state-store keys: cheaper to hash and
 * store than Avro keys, and turned into {@link SeriesKey} or {@link EdgeKey} only on emission.
 *
 * <p>Layout: {@code service NUL signal NUL key STX value SOH key STX value ...}, dimensions sorted
 * by key. For edges: {@code client NUL server}.
 */
public final class SeriesIds {
  /** Signal name of a service's overflow series (cardinality guard). */
  public static final String OVERFLOW = "overflow";

  private static final char SEP = '\u0000';
  private static final char DIM_SEP = '\u0001';
  private static final char KV_SEP = '\u0002';

  private SeriesIds() {}

  /** The id of a series; {@code dims} must be sorted by key. */
  public static String series(String service, String signal, SortedMap<String, String> dims) {
    StringBuilder id = new StringBuilder(service.length() + signal.length() + 32);
    id.append(service).append(SEP).append(signal).append(SEP);
    boolean first = true;
    for (Map.Entry<String, String> dim : dims.entrySet()) {
      if (!first) {
        id.append(DIM_SEP);
      }
      first = false;
      id.append(dim.getKey()).append(KV_SEP).append(dim.getValue());
    }
    return id.toString();
  }

  /** The id of the overflow series of a service. */
  public static String overflow(String service) {
    return service + SEP + OVERFLOW + SEP;
  }

  /** The id of an edge. */
  public static String edge(String client, String server) {
    return client + SEP + server;
  }

  /** The service of a series id, or the client of an edge id. */
  public static String service(String id) {
    return id.substring(0, id.indexOf(SEP));
  }

  /** Whether the id is a service's overflow series. */
  public static boolean isOverflow(String id) {
    return id.endsWith(SEP + OVERFLOW + SEP)
        && id.indexOf(SEP) == id.length() - OVERFLOW.length() - 2;
  }

  /** The {@link SeriesKey} of a series id, with {@code signal} replacing the id's own if given. */
  public static SeriesKey seriesKey(String id, String signalOverride) {
    int first = id.indexOf(SEP);
    int second = id.indexOf(SEP, first + 1);
    String service = id.substring(0, first);
    String signal = signalOverride != null ? signalOverride : id.substring(first + 1, second);
    List<Attribute> dims = new ArrayList<>();
    int start = second + 1;
    while (start < id.length()) {
      int end = id.indexOf(DIM_SEP, start);
      if (end < 0) {
        end = id.length();
      }
      int kv = id.indexOf(KV_SEP, start);
      dims.add(new Attribute(id.substring(start, kv), id.substring(kv + 1, end)));
      start = end + 1;
    }
    return new SeriesKey(service, signal, dims);
  }

  /** The signal name of a series id. */
  public static String signal(String id) {
    int first = id.indexOf(SEP);
    return id.substring(first + 1, id.indexOf(SEP, first + 1));
  }

  /** The {@link EdgeKey} of an edge id. */
  public static EdgeKey edgeKey(String id) {
    int sep = id.indexOf(SEP);
    return new EdgeKey(id.substring(0, sep), id.substring(sep + 1));
  }
}
