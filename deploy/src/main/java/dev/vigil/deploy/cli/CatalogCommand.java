package dev.vigil.deploy.cli;

import dev.vigil.enrichment.catalog.CatalogFile;
import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil catalog load FILE}: publishes a service catalog to {@code vigil.catalog.services}.
 */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "Manage the service catalog (team, tier, domain, SLOs of each service).",
    subcommands = {CatalogCommand.Load.class})
final class CatalogCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Publish every service of a YAML or JSON catalog file to vigil.catalog.services.",
        "",
        "The file is validated first (unknown fields, tiers, objectives): nothing is published",
        "if any entry is wrong (exit 1). Each service replaces its previous entry (compacted",
        "topic, keyed by service). See enrichment-stream/README.md for the format."
      })
  static final class Load implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions configOptions;

    @Parameters(paramLabel = "FILE", description = "Catalog file (.yaml, .yml or .json).")
    Path file;

    @Option(
        names = {"-b", "--bootstrap-server"},
        paramLabel = "HOST:PORT",
        description = "Kafka to write to (default: bootstrap.servers from the settings).")
    String bootstrapServer;

    @Override
    public Integer call() throws Exception {
      List<ServiceInfo> services;
      try {
        services = CatalogFile.read(file);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("vigil catalog load: " + e.getMessage());
        return 1;
      }
      CoreConfig config =
          configOptions.load(
              bootstrapServer == null
                  ? Map.of()
                  : Map.of(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer));
      TopicCatalog topics = config.topicCatalog();
      Map<String, Object> producerConfig = new java.util.HashMap<>(config.kafkaClientConfig());
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (KafkaProducer<String, ServiceInfo> producer =
          new KafkaProducer<>(
              producerConfig,
              topics.catalog.keySerde().serializer(),
              topics.catalog.valueSerde().serializer())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ServiceInfo info : services) {
          sent.add(
              producer.send(new ProducerRecord<>(topics.catalog.name(), info.getService(), info)));
        }
        for (Future<RecordMetadata> ack : sent) {
          ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      spec.commandLine()
          .getOut()
          .printf("Published %d services to %s.%n", services.size(), topics.catalog.name());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
