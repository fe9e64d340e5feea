package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeneratorCliTest {
  @TempDir Path tmp;

  private final CliRun cli = new CliRun();


  @Test
  void rejectsABadFormatInOneLine() {
    Path dir = tmp.resolve("out");
    int exit = cli.run("--output=" + dir, "--format=xml");

    assertEquals(2, exit);
    assertEquals("tally generate: --format must be csv or jsonl, got 'xml'" + System.lineSeparator(), cli.err());
    assertEquals("", cli.out());
    assertFalse(Files.exists(dir), "nothing may be written for bad options");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "--events=abc        | --events: expected a whole number, got 'abc'",
        "--events=-5         | --events must be >= 0, got -5",
        "--users=0           | --users must be >= 1, got 0",
        "--files=0           | --files must be >= 1, got 0",
        "--seed=1.5          | --seed: expected a whole number, got '1.5'",
        "--start=yesterday   | --start: expected an ISO-8601 instant like 2026-11-23T00:00:00Z, got 'yesterday'",
        "--span=24h          | --span: expected an ISO-8601 duration like PT24H or PT15M, got '24h'",
        "--span=PT0S         | --span must be at least 1 millisecond (PT0.001S), got PT0S",
        "--invalid-rate=1.5  | --invalid-rate must be between 0 and 1, got 1.5",
        "--duplicate-rate=x  | --duplicate-rate: expected a number between 0 and 1, got 'x'",
        "--late-rate=-0.1    | --late-rate must be between 0 and 1, got -0.1",
        "--late-rate=0.99    | --invalid-rate + --duplicate-rate + --late-rate must be at most 1, got"
            + " 0.02 + 0.01 + 0.99",
      })
  void rejectsBadValuesNamingTheOption(String option, String message) {
    int exit = cli.run("--output=" + tmp.resolve("out"), option);

    assertEquals(2, exit, cli.err());
    String[] lines = cli.err().split("\\R");
    assertEquals(1, lines.length, cli.err());
    assertEquals("tally generate: " + message, lines[0]);
  }

  @Test
  void acceptsTheFormatInAnyCase() throws IOException {
    assertEquals(0, cli.run("--output=" + tmp, "--events=10", "--format=JSONL"), cli.err());
    assertTrue(Files.exists(tmp.resolve("events-00000.jsonl")));
  }

  @Test
  void writesWhatTheLibraryWritesAndPrintsASummary() throws IOException {
    Path cliDir = tmp.resolve("cli");
    int exit = cli.run("--output=" + cliDir, "--events=2000", "--users=50", "--start=2026-12-01T06:00:00Z",
        "--span=PT6H", "--format=jsonl", "--gzip", "--files=2", "--seed=9", "--invalid-rate=0.07",
        "--duplicate-rate=0.02", "--late-rate=0.03");
    assertEquals(0, exit, cli.err());
    assertEquals("", cli.err());

    GeneratorConfig config = GeneratorConfig.builder()
        .outputDir(tmp.resolve("lib")).events(2000).users(50).start(Instant.parse("2026-12-01T06:00:00Z"))
        .span(Duration.ofHours(6)).format(OutputFormat.JSONL).gzip(true).files(2).seed(9).invalidRate(0.07)
        .duplicateRate(0.02).lateRate(0.03).build();
    GeneratedData data = EventGenerator.generate(config);
    for (String name : new String[] {"events-00000.jsonl.gz", "events-00001.jsonl.gz", "_MANIFEST.json"}) {
      assertArrayEquals(Files.readAllBytes(config.outputDir().resolve(name)), Files.readAllBytes(cliDir.resolve(name)),
          name);
    }

    String summary = cli.out();
    assertTrue(summary.startsWith("Wrote 2 files to " + cliDir + ": events-00000.jsonl.gz, events-00001.jsonl.gz"),
        summary);
    assertTrue(summary.contains("records     2,000"), summary);
    assertTrue(summary.contains("valid       1,820"), summary);
    assertTrue(summary.contains("duplicates  40"), summary);
    assertTrue(summary.contains("late        60"), summary);
    assertTrue(summary.contains("invalid     140: malformed_record 20, missing_required_field 20,"), summary);
    assertTrue(summary.contains("manifest    " + cliDir.resolve("_MANIFEST.json")), summary);
  }

  @Test
  void aBadSchemaFileIsOneLineNamingTheFileAndTheProblem() throws IOException {
    Path schema = tmp.resolve("my-export.json");
    Files.writeString(schema, "{\"name\": \"mine\", \"fields\": ["
        + "{\"name\": \"user_id\", \"type\": \"string\", \"required\": true},"
        + "{\"name\": \"kind\", \"type\": \"string\", \"required\": true},"
        + "{\"name\": \"at\", \"type\": \"timestamp\", \"required\": true}],"
        + " \"roles\": {\"user\": \"user_id\", \"eventType\": \"kind\", \"eventTime\": \"at\"}}");
    Path dir = tmp.resolve("out");

    assertEquals(2, cli.run("--output=" + dir, "--schema=" + schema));
    assertEquals("tally generate: schema file " + schema
        + ": fields[1] (kind): the eventType role needs an enum field listing the accepted values"
        + System.lineSeparator(), cli.err());
    assertEquals("", cli.out());
    assertFalse(Files.exists(dir), "nothing may be written for a bad schema");
  }

  @Test
  void aMissingSchemaFileIsOneLineListingTheBuiltInSchemas() {
    Path missing = tmp.resolve("nope.json");
    assertEquals(2, cli.run("--output=" + tmp.resolve("out"), "--schema=" + missing));
    String[] lines = cli.err().split("\\R");
    assertEquals(1, lines.length, cli.err());
    assertEquals("tally generate: Schema file " + missing + " does not exist: pass the path of a JSON schema file or"
        + " one of the built-in schemas " + String.join(", ", EventSchema.BUILT_IN), lines[0]);
  }

  @Test
  void rees46WritesItsHeaderAndNoDuplicates() throws IOException {
    assertEquals(0, cli.run("--output=" + tmp, "--events=500", "--schema=rees46"), cli.err());

    List<String> lines = Files.readAllLines(tmp.resolve("events-00000.csv"));
    // The header of the public export, as the issue quotes it.
    assertEquals("event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session",
        lines.get(0));
    assertEquals(501, lines.size());
    assertTrue(lines.get(1).matches("2026-11-23 00:0\\d:\\d\\d UTC,.*"), lines.get(1));
    Manifest manifest = Manifest.read(tmp.resolve("_MANIFEST.json"));
    assertEquals("rees46", manifest.config().schema());
    assertEquals(300, manifest.config().users(), "the schema's generator.users");
    assertEquals(0, manifest.totals().duplicates());
    assertEquals(0.0, manifest.config().duplicateRate());
    String note = "no duplicates written (duplicate rate 0.01 asked): schema rees46 has no event id, so a copy would"
        + " count as another valid event";
    assertEquals(List.of(note), manifest.config().notes());
    assertTrue(cli.out().contains("  schema      rees46"), cli.out());
    assertTrue(cli.out().contains("  duplicates  0: " + note), cli.out());
  }

  @Test
  void theSchemaChoosesTheFormatAndUsersUnlessTheOptionsDo() throws IOException {
    Path schemaFormat = tmp.resolve("jsonl");
    assertEquals(0, cli.run("--output=" + schemaFormat, "--events=20", "--schema=db-actions"), cli.err());
    assertTrue(Files.exists(schemaFormat.resolve("events-00000.jsonl")));
    assertEquals(120, Manifest.read(schemaFormat.resolve("_MANIFEST.json")).config().users());

    Path overridden = tmp.resolve("csv");
    assertEquals(0, cli.run("--output=" + overridden, "--events=20", "--schema=db-actions", "--format=csv",
        "--users=7"), cli.err());
    assertEquals("action_id,user_email,timestamp,action,table_name,rows_affected,database",
        Files.readAllLines(overridden.resolve("events-00000.csv")).get(0));
    Manifest manifest = Manifest.read(overridden.resolve("_MANIFEST.json"));
    assertEquals("csv", manifest.config().format());
    assertEquals(7, manifest.config().users());
  }

  @Test
  void refusesAnEarlierRunUnlessOverwrite() {
    assertEquals(0, cli.run("--output=" + tmp, "--events=10"));

    CliRun second = new CliRun();
    assertEquals(2, second.run("--output=" + tmp, "--events=10"));
    assertEquals(1, second.err().split("\\R").length, second.err());
    assertTrue(second.err().startsWith("tally generate: " + tmp + ": the output folder already holds"),
        second.err());
    assertTrue(second.err().contains("--overwrite"), second.err());

    assertEquals(0, cli.run("--output=" + tmp, "--events=10", "--overwrite"));
  }

  @Test
  void helpListsEveryOption() {
    assertEquals(0, cli.run("--help"));
    String help = cli.out();
    assertTrue(help.startsWith("Usage: tally generate"), help);
    for (String option : new String[] {
      "--events", "--users", "--start", "--span", "--output", "--format", "--gzip", "--files", "--seed",
      "--invalid-rate", "--duplicate-rate", "--late-rate", "--overwrite", "--help", "--schema",
      "--bootstrapServers", "--topic", "--rate", "--duration", "--manifest",
    }) {
      assertTrue(help.contains(option), option + " missing from\n" + help);
    }
    for (String schema : EventSchema.BUILT_IN) {
      assertTrue(help.contains(schema), schema + " missing from\n" + help);
    }
    assertTrue(help.contains("data/events"), help);
  }
}
