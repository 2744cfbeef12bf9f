package dev.vigil.runtime.topics;

import dev.vigil.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Vigil's topics from the catalog and checks existing ones against it.
 *
 * <p>A topic that exists with other settings is never altered (changing partitions moves keys,
 * changing retention may delete data); it is reported as a mismatch that names the topic, the
 * setting, what the catalog expects and what the broker has, so an operator can decide.
 */
public final class TopicProvisioner {
  private static final Logger LOGGER = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin a connected admin client, owned by the caller
   * @param timeout bound on each admin call
   */
  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Creates the missing topics, then verifies all of them. */
  public ProvisionReport provision(Collection<? extends TopicSpec<?, ?>> specs) {
    Set<String> existing = listTopics();
    List<String> created = new ArrayList<>();
    List<NewTopic> missing =
        specs.stream()
            .filter(spec -> !existing.contains(spec.name()))
            .map(
                spec ->
                    new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(spec.configs()))
            .toList();
    if (!missing.isEmpty()) {
      Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
          admin.createTopics(missing).values();
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> result :
          results.entrySet()) {
        try {
          result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(result.getKey());
          LOGGER.info("Created topic {}", result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new TopicProvisioningException(
                "cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        } catch (TimeoutException e) {
          throw new TopicProvisioningException("timed out creating topic " + result.getKey(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TopicProvisioningException("interrupted creating topics", e);
        }
      }
    }
    awaitVisible(created);
    ProvisionReport verified = verify(specs);
    return new ProvisionReport(
        created, verified.missing(), verified.mismatches(), verified.verified());
  }

  /**
   * Waits until a listing shows the topics just created: a broker answers the creation before its
   * own metadata has the topic, so a verification right after it could report a created topic as
   * missing.
   */
  private void awaitVisible(List<String> created) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!listTopics().containsAll(created)) {
      if (System.nanoTime() > deadline) {
        throw new TopicProvisioningException(
            "created topics not visible after " + timeout + ": " + created, null);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicProvisioningException("interrupted waiting for created topics", e);
      }
    }
  }

  /** Checks every topic against its spec without changing anything. */
  public ProvisionReport verify(Collection<? extends TopicSpec<?, ?>> specs) {
    Set<String> existing = listTopics();
    List<String> missing = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (TopicSpec<?, ?> spec : specs) {
      (existing.contains(spec.name()) ? present : missing).add(spec.name());
    }
    List<String> mismatches = new ArrayList<>();
    if (!present.isEmpty()) {
      Map<String, TopicDescription> descriptions =
          await(admin.describeTopics(present).allTopicNames(), "describe topics");
      List<ConfigResource> resources =
          present.stream()
              .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
              .toList();
      Map<ConfigResource, Config> configs =
          await(admin.describeConfigs(resources).all(), "describe topic configs");
      for (TopicSpec<?, ?> spec : specs) {
        TopicDescription description = descriptions.get(spec.name());
        if (description != null) {
          mismatches.addAll(
              compare(
                  spec,
                  description,
                  configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))));
        }
      }
    }
    return new ProvisionReport(List.of(), missing, mismatches, present);
  }

  private static List<String> compare(
      TopicSpec<?, ?> spec, TopicDescription description, Config config) {
    List<String> problems = new ArrayList<>();
    int partitions = description.partitions().size();
    if (partitions != spec.partitions()) {
      problems.add(
          spec.name()
              + ": partitions expected "
              + spec.partitions()
              + ", broker has "
              + partitions);
    }
    int replicas = description.partitions().get(0).replicas().size();
    if (replicas < spec.replicationFactor()) {
      problems.add(
          spec.name()
              + ": replication factor expected "
              + spec.replicationFactor()
              + ", broker has "
              + replicas);
    }
    for (Map.Entry<String, String> expected : spec.configs().entrySet()) {
      String actual =
          Optional.ofNullable(config)
              .map(c -> c.get(expected.getKey()))
              .map(ConfigEntry::value)
              .orElse(null);
      if (!expected.getValue().equals(actual)) {
        problems.add(
            spec.name()
                + ": "
                + expected.getKey()
                + " expected "
                + expected.getValue()
                + ", broker has "
                + actual);
      }
    }
    return problems;
  }

  private Set<String> listTopics() {
    return await(admin.listTopics().names(), "list topics").stream()
        .collect(Collectors.toUnmodifiableSet());
  }

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicProvisioningException(
          "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicProvisioningException(
          "timed out after " + timeout + " trying to " + what + "; is Kafka reachable?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("interrupted trying to " + what, e);
    }
  }
}
