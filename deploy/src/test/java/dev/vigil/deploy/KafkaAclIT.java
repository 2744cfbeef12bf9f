package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code vigil} against a broker that enforces ACLs (KRaft's StandardAuthorizer,
 * nothing allowed without one): a principal without ACLs gets one line naming what was denied and
 * exit status 4; with exactly the ACLs runtime/README.md lists, every app reaches ready.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaAclIT {
  /** The test kit's own clients use the plaintext listener (principal ANONYMOUS): super user. */
  @RegisterExtension
  static final KafkaCluster KAFKA =
      KafkaCluster.secured()
          .withSettings(
              Map.of(
                  "authorizer.class.name",
                  "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                  "super.users",
                  "User:ANONYMOUS",
                  "allow.everyone.if.no.acl.found",
                  "false"));

  private static final String PRINCIPAL = "User:" + KafkaCluster.SCRAM_USER;

  @TempDir static Path dir;

  @Test
  @Order(1)
  void withoutAclsTheProcessEndsWithOneLineNamingWhatWasDeniedAndStatus4() throws Exception {
    VigilProcess vigil =
        VigilProcess.run(Duration.ofSeconds(90), "run", "enrichment", "--config", config("none"));

    assertThat(vigil.exitValue()).as(vigil.stderr()).isEqualTo(4);
    List<String> lines = vigil.stderr().lines().filter(l -> l.startsWith("vigil")).toList();
    assertThat(lines).as(vigil.stderr()).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("vigil: Kafka at " + KAFKA.saslSslBootstrapServers() + ": not authorized: ")
        .contains("runtime/README.md");
    assertThat(vigil.stderr()).as("no stack trace").doesNotContain("\tat ");
  }

  @Test
  @Order(2)
  void theDocumentedAclsAreEnoughForEveryApp() throws Exception {
    KAFKA.admin().createAcls(documentedAcls("")).all().get();

    try (VigilProcess vigil =
        VigilProcess.start(
            "run",
            "bridge",
            "enrichment",
            "anomaly",
            "forecast",
            "rca",
            "sinks",
            "--config",
            config("granted"))) {
      await("vigil run started")
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                assertThat(vigil.isAlive()).as("vigil exited early:\n%s", vigil.stderr()).isTrue();
                assertThat(vigil.stdout()).contains("Press Ctrl-C to stop.");
              });
      Matcher management =
          Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(vigil.stdout());
      assertThat(management.find()).as(vigil.stdout()).isTrue();
      URI ready = URI.create("http://127.0.0.1:" + management.group(1) + "/health/ready");
      HttpClient http = HttpClient.newHttpClient();
      // Every Streams app (transactions, internal topics, groups) and the Connect worker RUNNING.
      await("every app ready")
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                HttpResponse<String> answer =
                    http.send(
                        HttpRequest.newBuilder(ready).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
              });
      assertThat(vigil.stderr()).doesNotContain("AuthorizationException");
      // The sink task's consumer joins its group, under the prefix the ACL covers (not Connect's
      // connect-<name>), after the task reports RUNNING.
      await("the sink's consumer group")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(KAFKA.admin().listGroups().all().get())
                      .extracting(GroupListing::groupId)
                      .contains("vigil-sinks-prometheus", "vigil-enrichment", "vigil-rca")
                      .noneMatch(id -> id.startsWith("connect-")));
      assertThat(vigil.stderr()).doesNotContain("AuthorizationException");
    }
  }

  /**
   * The ACLs of runtime/README.md's table, for topic prefix {@code prefix}: everything under the
   * prefix's {@code vigil.} and {@code vigil-} names (topics, groups, transactional ids) and the
   * raw OTLP topics.
   */
  private static List<AclBinding> documentedAcls(String prefix) {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : List.of(prefix + "vigil.", prefix + "vigil-", prefix + "otlp_")) {
      acls.add(allow(ResourceType.TOPIC, topic));
    }
    acls.add(allow(ResourceType.GROUP, prefix + "vigil-"));
    acls.add(allow(ResourceType.TRANSACTIONAL_ID, prefix + "vigil-"));
    return acls;
  }

  private static AclBinding allow(ResourceType type, String namePrefix) {
    return new AclBinding(
        new ResourcePattern(type, namePrefix, PatternType.PREFIXED),
        new AccessControlEntry(PRINCIPAL, "*", AclOperation.ALL, AclPermissionType.ALLOW));
  }

  /** A config file for the SASL_SSL listener as {@link KafkaCluster#SCRAM_USER}. */
  private static String config(String name) throws Exception {
    Path file = dir.resolve(name + ".properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "bootstrap.servers=" + KAFKA.saslSslBootstrapServers(),
            "kafka.security.protocol=SASL_SSL",
            "kafka.sasl.mechanism=" + KafkaCluster.SCRAM_MECHANISM,
            "kafka.sasl.jaas.config="
                + KafkaCluster.scramJaasConfig(KafkaCluster.SCRAM_USER, KAFKA.scramPassword()),
            "kafka.ssl.truststore.type=PEM",
            "kafka.ssl.truststore.location=" + KAFKA.certificates().caPem(),
            "topic.replication.factor=1",
            "topic.partitions=1",
            "state.dir=" + dir.resolve("state-" + name),
            "management.host=127.0.0.1",
            "management.port=0",
            "bridge.grpc.port=0",
            "bridge.http.port=0",
            // A receiver that is never reached: the sink's Connect worker still joins its group.
            "sinks.prometheus.url=http://127.0.0.1:9/api/v1/write",
            ""));
    return file.toString();
  }
}
