package dev.vigil.deploy.cli;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.AnomalyEvent;
import dev.vigil.schemas.AnomalyPhase;
import dev.vigil.schemas.Incident;
import dev.vigil.schemas.IncidentState;
import dev.vigil.schemas.RootCause;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.simulator.Fault;
import dev.vigil.simulator.SimulatorStats;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code vigil up --simulate} shows while it runs: ingest rate, windows closed, active
 * anomalies, open incidents with their top root cause and reasons, alerts. It reads the anomalies,
 * incidents and alerts topics (from the moment it starts) and the apps' meters in this process. In
 * a terminal it redraws in place with ANSI escapes every second; without one ({@code
 * System.console() == null}) it prints one plain line every 10 seconds. {@link #close()} prints a
 * summary.
 */
final class LiveView implements AutoCloseable {
  private static final Logger LOGGER = LoggerFactory.getLogger(LiveView.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final String CLEAR = "\033[H\033[2J";

  private final Map<String, Object> clientConfig;
  private final TopicCatalog topics;
  private final MeterRegistry registry;
  private final SimulatorStats simulator;
  private final PrintWriter out;
  private final boolean ansi;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, AnomalyEvent> activeAnomalies = new HashMap<>();
  private final Map<String, Incident> incidents = new LinkedHashMap<>();
  private final Map<String, Alert> alerts = new HashMap<>();
  private long anomalyEvents;
  private double lastIngested;
  private long lastNanos = System.nanoTime();
  private double ingestRate;
  private Thread thread;

  LiveView(
      Map<String, Object> clientConfig,
      TopicCatalog topics,
      MeterRegistry registry,
      SimulatorStats simulator,
      PrintWriter out,
      boolean ansi) {
    this.clientConfig = clientConfig;
    this.topics = topics;
    this.registry = registry;
    this.simulator = simulator;
    this.out = out;
    this.ansi = ansi;
  }

  /** Starts reading and drawing on a thread of its own. */
  void start() {
    thread = new Thread(this::run, "vigil-live-view");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Duration refresh = ansi ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
    long nextDraw = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic :
          List.of(topics.anomalies.name(), topics.incidents.name(), topics.alerts.name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions); // what happens from now on, not a previous run's data
      while (!closed.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          fold(record);
        }
        if (System.nanoTime() >= nextDraw) {
          draw();
          nextDraw = System.nanoTime() + refresh.toNanos();
        }
      }
    } catch (RuntimeException e) {
      LOGGER.warn("Live view stopped", e);
    }
  }

  private synchronized void fold(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    if (topic.equals(topics.anomalies.name())) {
      AnomalyEvent event = decode(topics.anomalies.valueSerde().deserializer(), record);
      anomalyEvents++;
      if (event.getPhase() == AnomalyPhase.END) {
        activeAnomalies.remove(event.getId());
      } else {
        activeAnomalies.put(event.getId(), event);
      }
    } else if (topic.equals(topics.incidents.name())) {
      Incident incident = decode(topics.incidents.valueSerde().deserializer(), record);
      incidents.remove(incident.getId());
      incidents.put(incident.getId(), incident);
    } else {
      Alert alert = decode(topics.alerts.valueSerde().deserializer(), record);
      alerts.put(alert.getFingerprint(), alert);
    }
  }

  private static <V> V decode(Deserializer<V> deserializer, ConsumerRecord<byte[], byte[]> record) {
    return deserializer.deserialize(record.topic(), record.value());
  }

  private synchronized void draw() {
    double ingested = sum("vigil.bridge.items.accepted");
    long now = System.nanoTime();
    ingestRate = (ingested - lastIngested) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastIngested = ingested;
    lastNanos = now;
    List<Incident> open =
        incidents.values().stream().filter(i -> i.getState() == IncidentState.OPEN).toList();
    if (!ansi) {
      out.printf(
          "%s sim %s | ingest %,.0f/s | windows %,.0f | anomalies %d | incidents open %d%s | alerts %d%n",
          Instant.now().toString().substring(11, 19),
          TIME.format(simulator.simulatedTime()),
          ingestRate,
          sum("vigil.anomaly.windows"),
          activeAnomalies.size(),
          open.size(),
          open.isEmpty() ? "" : " (top " + top(open.get(open.size() - 1)) + ")",
          firingAlerts());
      out.flush();
      return;
    }
    StringBuilder sb = new StringBuilder(CLEAR);
    sb.append(
        String.format(
            "Vigil — simulated platform   sim time %s UTC%s%n%n",
            TIME.format(simulator.simulatedTime()), simulator.warmingUp() ? "  (warming up)" : ""));
    sb.append(
        String.format(
            "  ingest          %,10.0f items/s  (%,d spans, %,d points, %,d logs sent)%n",
            ingestRate, simulator.spans(), simulator.points(), simulator.logs()));
    sb.append(String.format("  windows closed  %,10.0f%n", sum("vigil.anomaly.windows")));
    sb.append(
        String.format(
            "  anomalies       %,10d active (%,d events)%n",
            activeAnomalies.size(), anomalyEvents));
    sb.append(
        String.format(
            "  alerts          %,10d firing (%,d in all)%n", firingAlerts(), alerts.size()));
    List<Fault> faults = simulator.activeFaults();
    sb.append(String.format("  faults now      %s%n", faults.isEmpty() ? "none" : faults));
    sb.append(String.format("%nOpen incidents (%d)%n", open.size()));
    for (Incident incident : open.subList(Math.max(0, open.size() - 5), open.size())) {
      sb.append(
          String.format(
              "  %s  %s  since %s  %d services, %d anomalies%n",
              incident.getId(),
              incident.getSeverity(),
              TIME.format(incident.getOpenedAt()),
              incident.getServices().size(),
              incident.getAnomalies()));
      if (!incident.getRootCauses().isEmpty()) {
        RootCause cause = incident.getRootCauses().get(0);
        sb.append(
            String.format("      root cause %s (%.2f)%n", cause.getService(), cause.getScore()));
        cause.getReasons().stream()
            .limit(3)
            .forEach(r -> sb.append("        - ").append(r).append('\n'));
      }
    }
    out.print(sb);
    out.flush();
  }

  private long firingAlerts() {
    return alerts.values().stream().filter(a -> a.getEndsAt() == null).count();
  }

  private static String top(Incident incident) {
    return incident.getRootCauses().isEmpty() ? "-" : incident.getRootCauses().get(0).getService();
  }

  private double sum(String meter) {
    double total = 0;
    for (Meter m : registry.find(meter).meters()) {
      total += m.measure().iterator().next().getValue();
    }
    return total;
  }

  /** Stops and prints the summary. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (thread != null) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    summary();
  }

  private synchronized void summary() {
    out.printf("%nSimulation summary (simulated up to %s UTC)%n", simulator.simulatedTime());
    out.printf(
        "  sent           %,d requests: %,d spans, %,d points, %,d logs; %,d changes; %d failed exports%n",
        simulator.requests(),
        simulator.spans(),
        simulator.points(),
        simulator.logs(),
        simulator.changes(),
        simulator.failedExports());
    out.printf("  windows        %,.0f closed%n", sum("vigil.anomaly.windows"));
    out.printf(
        "  anomalies      %,d events, %d still active%n", anomalyEvents, activeAnomalies.size());
    out.printf(
        "  incidents      %d (%d open)%n",
        incidents.size(),
        incidents.values().stream().filter(i -> i.getState() == IncidentState.OPEN).count());
    for (Incident incident : incidents.values()) {
      out.printf(
          "    %s %-8s %-8s top %s, %d services, %d anomalies%n",
          incident.getId(),
          incident.getState(),
          incident.getSeverity(),
          top(incident),
          incident.getServices().size(),
          incident.getAnomalies());
    }
    out.printf("  alerts         %d (%d firing)%n", alerts.size(), firingAlerts());
    out.flush();
  }
}
