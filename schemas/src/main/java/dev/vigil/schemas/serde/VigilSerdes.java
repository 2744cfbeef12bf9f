package dev.vigil.schemas.serde;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.ChangeEvent;
import dev.vigil.schemas.EdgeKey;
import dev.vigil.schemas.EdgeWindow;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.SignalWindow;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The serdes of every record type Vigil owns; one shared, thread-safe instance each. */
public final class VigilSerdes {
  /** Record types that are values of Vigil's topics. */
  public static final List<Class<? extends SpecificRecord>> VALUE_TYPES =
      List.of(
          ServiceInfo.class,
          ChangeEvent.class,
          SignalWindow.class,
          EdgeWindow.class,
          AnomalyEvent.class,
          Forecast.class,
          Incident.class,
          Alert.class);

  /** Record types that are keys of Vigil's topics (frozen schemas, see {@link AvroKeySerde}). */
  public static final List<Class<? extends SpecificRecord>> KEY_TYPES =
      List.of(SeriesKey.class, EdgeKey.class);

  public static final AvroValueSerde<ServiceInfo> SERVICE_INFO = value(ServiceInfo.class);
  public static final AvroValueSerde<ChangeEvent> CHANGE_EVENT = value(ChangeEvent.class);
  public static final AvroValueSerde<SignalWindow> SIGNAL_WINDOW = value(SignalWindow.class);
  public static final AvroValueSerde<EdgeWindow> EDGE_WINDOW = value(EdgeWindow.class);
  public static final AvroValueSerde<AnomalyEvent> ANOMALY_EVENT = value(AnomalyEvent.class);
  public static final AvroValueSerde<Forecast> FORECAST = value(Forecast.class);
  public static final AvroValueSerde<Incident> INCIDENT = value(Incident.class);
  public static final AvroValueSerde<Alert> ALERT = value(Alert.class);
  public static final Serde<SeriesKey> SERIES_KEY = new AvroKeySerde<>(SeriesKey.class);
  public static final Serde<EdgeKey> EDGE_KEY = new AvroKeySerde<>(EdgeKey.class);

  private VigilSerdes() {}

  /** A value serde that also reads every released version of {@code type}. */
  public static <T extends SpecificRecord> AvroValueSerde<T> value(Class<T> type) {
    return new AvroValueSerde<>(type, SchemaHistory.versions(type.getSimpleName()));
  }
}
