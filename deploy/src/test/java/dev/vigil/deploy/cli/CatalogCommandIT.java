package dev.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.runtime.topics.TopicProvisioner;
import dev.vigil.schemas.ServiceInfo;
import dev.vigil.schemas.topics.TopicCatalog;
import dev.vigil.testkit.KafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil catalog load FILE} against a real broker. */
@Timeout(120)
class CatalogCommandIT {
  @RegisterExtension static final KafkaCluster KAFKA = new KafkaCluster();
  @TempDir Path dir;

  @Test
  void publishesAValidCatalogAndRefusesAnInvalidOne() throws Exception {
    TopicCatalog topics = TopicCatalog.defaults();
    new TopicProvisioner(KAFKA.admin(), Duration.ofSeconds(30)).provision(List.of(topics.catalog));
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "- service: cart\n  teir: 1\n");
    Path good =
        Files.writeString(
            dir.resolve("catalog.yaml"),
            "services:\n"
                + "  - {service: checkout, team: shop, tier: 1, domain: commerce}\n"
                + "  - {service: search, team: discovery}\n");

    StringWriter badErr = new StringWriter();
    int badExit = run(new StringWriter(), badErr, "catalog", "load", bad.toString());
    StringWriter out = new StringWriter();
    int exit = run(out, new StringWriter(), "catalog", "load", good.toString());

    assertThat(badExit).isEqualTo(1);
    assertThat(badErr.toString()).contains("unknown field 'teir'");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Published 2 services to vigil.catalog.services.");
    List<ConsumerRecord<String, ServiceInfo>> records =
        KAFKA.consume(topics.catalog, 2, Duration.ofSeconds(30));
    assertThat(records).extracting(ConsumerRecord::key).containsExactly("checkout", "search");
    assertThat(records.get(0).value().getTier()).isEqualTo(1);
    assertThat(records.get(1).value().getTeam()).isEqualTo("discovery");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine commandLine = VigilCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-b";
    all[args.length + 1] = KAFKA.bootstrapServers();
    return commandLine.execute(all);
  }
}
