package dev.vigil.deploy.cli;

import dev.vigil.runtime.config.CoreConfig;
import dev.vigil.runtime.topics.ProvisionReport;
import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil topics list|create|verify}: the catalog's topics on a cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "List, create or verify Vigil's topics on a Kafka cluster.",
    subcommands = {
      TopicsCommand.List.class,
      TopicsCommand.Create.class,
      TopicsCommand.Verify.class
    })
final class TopicsCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Options shared by the subcommands. */
  static class Target {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions configOptions;

    @Option(
        names = {"-b", "--bootstrap-server"},
        paramLabel = "HOST:PORT",
        description = "Kafka to talk to (default: bootstrap.servers from the settings).")
    String bootstrapServer;

    @Option(
        names = "--app",
        paramLabel = "NAME",
        description = "Also handle the DLQ topic of this app (repeatable), e.g. --app anomaly.")
    java.util.List<String> apps = new ArrayList<>();

    CoreConfig config() {
      return configOptions.load(
          bootstrapServer == null
              ? Map.of()
              : Map.of(CoreConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer));
    }

    java.util.List<TopicSpec<?, ?>> specs(TopicCatalog topics) {
      java.util.List<TopicSpec<?, ?>> specs = new ArrayList<>(topics.all());
      apps.forEach(app -> specs.add(topics.dlq(app)));
      return specs;
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    int print(ProvisionReport report) {
      PrintWriter out = out();
      report.created().forEach(t -> out.println("created   " + t));
      report.verified().stream()
          .filter(t -> !report.created().contains(t))
          .filter(t -> report.mismatches().stream().noneMatch(m -> m.startsWith(t + ":")))
          .forEach(t -> out.println("ok        " + t));
      report.missing().forEach(t -> out.println("missing   " + t));
      report.mismatches().forEach(m -> out.println("differs   " + m));
      out.println(
          report.ok()
              ? "All topics match the catalog."
              : "Some topics are missing or differ from the catalog.");
      return report.ok() ? 0 : 1;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the topics on the cluster; catalog topics show their partitions and policy.")
  static final class List extends Target implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      CoreConfig config = config();
      TopicCatalog topics = config.topicCatalog();
      try (Admin admin = Admin.create(config.kafkaClientConfig())) {
        Set<String> names =
            new TreeSet<>(
                admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        PrintWriter out = out();
        for (String name : names) {
          out.println(
              topics
                  .find(name)
                  .map(
                      s ->
                          String.format(
                              "%-40s %3d partitions  %s",
                              name, s.partitions(), s.cleanupPolicy().configValue()))
                  .orElse(name));
        }
        long missing = specs(topics).stream().filter(s -> !names.contains(s.name())).count();
        if (missing > 0) {
          out.println(missing + " catalog topics do not exist yet: vigil topics create");
        }
      }
      return 0;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create missing catalog topics, then verify every one (exit 1 if any differs).")
  static final class Create extends Target implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      CoreConfig config = config();
      try (Admin admin = Admin.create(config.kafkaClientConfig())) {
        return print(new TopicProvisioner(admin, TIMEOUT).provision(specs(config.topicCatalog())));
      }
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check catalog topics without changing anything (exit 1 if any is missing or differs).")
  static final class Verify extends Target implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      CoreConfig config = config();
      try (Admin admin = Admin.create(config.kafkaClientConfig())) {
        return print(new TopicProvisioner(admin, TIMEOUT).verify(specs(config.topicCatalog())));
      }
    }
  }
}
