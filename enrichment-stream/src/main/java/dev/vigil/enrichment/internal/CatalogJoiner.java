package dev.vigil.enrichment.internal;

import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalWindow;
import dev.vigil.schemas.Slo;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.kstream.ValueJoinerWithKey;

/**
 * Adds team, tier, domain and the SLO set on the window's signal from the service catalog to a
 * closed signal window. A service without a catalog entry passes through with those fields unset
 * and is counted.
 */
public final class CatalogJoiner
    implements ValueJoinerWithKey<SeriesKey, SignalWindow, ServiceInfo, SignalWindow> {
  private final Counter unknown;

  /** A joiner counting unknown services in {@code metrics}. */
  public CatalogJoiner(EnrichmentMetrics metrics) {
    this.unknown = metrics.unknownServices();
  }

  @Override
  public SignalWindow apply(SeriesKey key, SignalWindow window, ServiceInfo info) {
    if (info == null) {
      unknown.increment();
      return window;
    }
    window.setTeam(info.getTeam());
    window.setTier(info.getTier());
    window.setDomain(info.getDomain());
    for (Slo slo : info.getSlos()) {
      if (slo.getSignal().equals(key.getSignal())) {
        window.setSloObjective(slo.getObjective());
        window.setSloThreshold(slo.getThreshold());
        break;
      }
    }
    return window;
  }
}
