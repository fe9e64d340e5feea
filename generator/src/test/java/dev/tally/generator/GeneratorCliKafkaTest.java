package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tally generate --bootstrapServers=...} against a real KRaft broker in the test JVM. */
@Tag("integration")
class GeneratorCliKafkaTest {
  @RegisterExtension static final InJvmKafkaBroker broker = new InJvmKafkaBroker();

  @TempDir Path tmp;
  private final CliRun cli = new CliRun();

  @Test
  void sendsRateTimesDurationRecordsAndWritesTheManifest() throws Exception {
    broker.createTopic("cli-events", 2);
    Path manifestPath = tmp.resolve("manifests/cli.json");

    int exit = cli.run("--bootstrapServers=" + broker.bootstrapServers(), "--topic=cli-events", "--rate=300",
        "--duration=PT1S", "--seed=3", "--manifest=" + manifestPath);

    assertEquals(0, exit, cli.err());
    assertEquals("", cli.err());
    KafkaManifest manifest = KafkaManifest.fromJson(Files.readString(manifestPath));
    GeneratorConfig same = GeneratorConfig.builder().events(300).seed(3).build();
    assertEquals(EventGenerator.totals(same.schema(), EventGenerator.records(same)), manifest.totals());
    assertEquals(300, manifest.config().events());
    assertEquals("cli-events", manifest.topic());
    assertEquals(2, manifest.partitions().size());
    assertEquals(300, manifest.partitions().stream().mapToLong(KafkaManifest.Partition::records).sum());
    String printed = cli.out();
    assertTrue(printed.contains("Sent 300 records to topic cli-events in "), printed);
    assertTrue(printed.matches("(?s).*in [0-9.]+ s: [0-9,]+ events/s achieved.*"), printed);
    assertTrue(printed.contains("  manifest    " + manifestPath), printed);
  }

  @Test
  void anUnreachableBrokerIsOneLine() throws Exception {
    String nowhere = "127.0.0.1:" + InJvmKafkaBroker.freePort();
    Path manifestPath = tmp.resolve("m.json");

    int exit = cli.run("--bootstrapServers=" + nowhere, "--events=10", "--manifest=" + manifestPath);

    assertEquals(1, exit);
    assertEquals("tally generate: cannot reach Kafka at " + nowhere + " within 5 s: start the local broker with"
        + " ./tally stack up kafka, or pass --bootstrapServers=HOST:PORT" + System.lineSeparator(), cli.err());
    assertFalse(Files.exists(manifestPath));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bootstrapServers=127.0.0.1:9 --output=x   | --output applies to files; with --bootstrapServers the records go to the topic",
        "--bootstrapServers=127.0.0.1:9 --files=2    | --files applies to files; with --bootstrapServers the records go to the topic",
        "--topic=events                              | --topic applies to Kafka mode only: add --bootstrapServers=HOST:PORT",
        "--rate=10                                   | --rate applies to Kafka mode only: add --bootstrapServers=HOST:PORT",
        "--bootstrapServers=127.0.0.1:9 --events=5 --duration=PT1S | give --events or --duration, not both",
        "--bootstrapServers=127.0.0.1:9 --duration=PT1S | --duration needs a --rate above 0, got 0.0",
        "--bootstrapServers=127.0.0.1:9 --rate=-1    | --rate must be a number >= 0, got -1",
        "--bootstrapServers=127.0.0.1:9 --rate=fast  | --rate: expected a number of events per second, got 'fast'",
        "--bootstrapServers=localhost --events=1     | --bootstrapServers: expected HOST:PORT[,HOST:PORT...], got 'localhost'",
      })
  void rejectsOptionsOfTheOtherModeAndBadValuesInOneLine(String args, String message) {
    int exit = cli.run(args.split(" "));

    assertEquals(2, exit, cli.err());
    assertEquals("tally generate: " + message + System.lineSeparator(), cli.err());
  }
}
