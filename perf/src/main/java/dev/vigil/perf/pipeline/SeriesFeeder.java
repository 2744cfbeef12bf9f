package dev.vigil.perf.pipeline;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Extra metric series for the simulated platform's services, stamped with the simulator's own event
 * time: the simulator models RED signals and a few runtime metrics per service (a few thousand
 * series at 500 services), while a real platform of that size exports tens of thousands (per route,
 * per pod). Each slice sends {@code seriesPerService} gauge points per service over OTLP/HTTP to
 * the bridge, ten services per request.
 */
final class SeriesFeeder {
  private static final int SERVICES_PER_REQUEST = 10;

  private final URI uri;
  private final List<String> services;
  private final int seriesPerService;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Semaphore inFlight = new Semaphore(8);
  private final SplittableRandom random = new SplittableRandom(3);
  private final AtomicLong points = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  SeriesFeeder(String httpEndpoint, List<String> services, int seriesPerService) {
    this.uri = URI.create(httpEndpoint + "/v1/metrics");
    this.services = services;
    this.seriesPerService = seriesPerService;
  }

  /** Sends one point of every series, at event time {@code t}. */
  void slice(Instant t) throws InterruptedException {
    long nanos = t.toEpochMilli() * 1_000_000L;
    for (int first = 0; first < services.size(); first += SERVICES_PER_REQUEST) {
      ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
      for (int s = first; s < Math.min(services.size(), first + SERVICES_PER_REQUEST); s++) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < seriesPerService; i++) {
          gauge.addDataPoints(
              NumberDataPoint.newBuilder()
                  .setTimeUnixNano(nanos)
                  .setAsDouble(100 + 5 * random.nextGaussian())
                  .addAttributes(attribute("http.route", "/api/v1/resource" + i)));
        }
        request.addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(attribute("service.name", services.get(s))))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("app.route.inflight")
                                .setUnit("1")
                                .setGauge(gauge))));
      }
      int n = request.getResourceMetricsCount() * seriesPerService;
      inFlight.acquire();
      client
          .sendAsync(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(request.build().toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                if (error == null && response.statusCode() == 200) {
                  points.addAndGet(n);
                } else {
                  failed.incrementAndGet();
                }
                inFlight.release();
              });
    }
  }

  long points() {
    return points.get();
  }

  long failed() {
    return failed.get();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
