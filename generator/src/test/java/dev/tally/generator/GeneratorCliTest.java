package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class GeneratorCliTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = new CommandLine(new GeneratorCli());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void rejectsABadFormatInOneLine() {
    Path dir = tmp.resolve("out");
    int exit = run("--output=" + dir, "--format=xml");

    assertEquals(2, exit);
    assertEquals("tally generate: --format must be csv or jsonl, got 'xml'" + System.lineSeparator(), err.toString());
    assertEquals("", out.toString());
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
    int exit = run("--output=" + tmp.resolve("out"), option);

    assertEquals(2, exit, err.toString());
    String[] lines = err.toString().split("\\R");
    assertEquals(1, lines.length, err.toString());
    assertEquals("tally generate: " + message, lines[0]);
  }

  @Test
  void acceptsTheFormatInAnyCase() throws IOException {
    assertEquals(0, run("--output=" + tmp, "--events=10", "--format=JSONL"), err.toString());
    assertTrue(Files.exists(tmp.resolve("events-00000.jsonl")));
  }

  @Test
  void writesWhatTheLibraryWritesAndPrintsASummary() throws IOException {
    Path cliDir = tmp.resolve("cli");
    int exit = run("--output=" + cliDir, "--events=2000", "--users=50", "--start=2026-12-01T06:00:00Z",
        "--span=PT6H", "--format=jsonl", "--gzip", "--files=2", "--seed=9", "--invalid-rate=0.07",
        "--duplicate-rate=0.02", "--late-rate=0.03");
    assertEquals(0, exit, err.toString());
    assertEquals("", err.toString());

    GeneratorConfig config = GeneratorConfig.builder()
        .outputDir(tmp.resolve("lib")).events(2000).users(50).start(Instant.parse("2026-12-01T06:00:00Z"))
        .span(Duration.ofHours(6)).format(OutputFormat.JSONL).gzip(true).files(2).seed(9).invalidRate(0.07)
        .duplicateRate(0.02).lateRate(0.03).build();
    GeneratedData data = EventGenerator.generate(config);
    for (String name : new String[] {"events-00000.jsonl.gz", "events-00001.jsonl.gz", "_MANIFEST.json"}) {
      assertArrayEquals(Files.readAllBytes(config.outputDir().resolve(name)), Files.readAllBytes(cliDir.resolve(name)),
          name);
    }

    String summary = out.toString();
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
  void refusesAnEarlierRunUnlessOverwrite() {
    assertEquals(0, run("--output=" + tmp, "--events=10"));

    StringWriter secondErr = err;
    secondErr.getBuffer().setLength(0);
    assertEquals(2, run("--output=" + tmp, "--events=10"));
    assertEquals(1, err.toString().split("\\R").length, err.toString());
    assertTrue(err.toString().startsWith("tally generate: " + tmp + ": the output folder already holds"),
        err.toString());
    assertTrue(err.toString().contains("--overwrite"), err.toString());

    assertEquals(0, run("--output=" + tmp, "--events=10", "--overwrite"));
  }

  @Test
  void helpListsEveryOption() {
    assertEquals(0, run("--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: tally generate"), help);
    for (String option : new String[] {
      "--events", "--users", "--start", "--span", "--output", "--format", "--gzip", "--files", "--seed",
      "--invalid-rate", "--duplicate-rate", "--late-rate", "--overwrite", "--help",
    }) {
      assertTrue(help.contains(option), option + " missing from\n" + help);
    }
    assertTrue(help.contains("data/events"), help);
  }
}
