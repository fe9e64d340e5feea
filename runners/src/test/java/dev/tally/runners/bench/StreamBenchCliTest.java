package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.runners.stack.LocalStack;
import dev.tally.runners.stack.StackService;
import dev.tally.runners.stack.StackSettings;
import dev.tally.runners.stack.TestStacks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ./tally bench stream for real, briefly: a broker on free ports, 200 events/s for 20 s through the pipeline on Spark
 * local[2] into a throw-away schema. Asserts what was stored and what was printed, never how fast.
 */
@Tag("integration")
class StreamBenchCliTest {
  @TempDir Path dir;

  @Test
  void aShortRunStoresEveryEventItSentAndPrintsTheFigures() throws Exception {
    StackSettings settings = TestStacks.onFreePorts(dir.resolve("stack")).kafkaPartitions(2).build();
    LocalStack stack = new LocalStack(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    stack.up(EnumSet.of(StackService.KAFKA));
    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      CommandLine commandLine = BenchCli.commandLine();
      StringWriter out = new StringWriter();
      commandLine.setOut(new PrintWriter(out, true));
      int exit = commandLine.execute("stream", "--rate=200", "--duration=PT20S", "--heap=1g",
          // The machine is shared and often loaded: start-up alone has taken 2 minutes.
          "--startup-timeout=PT8M",
          "--bootstrapServers=" + settings.kafkaBootstrapServers(), "--jdbcUrl=" + TestPostgres.URL,
          "--jdbcUser=" + TestPostgres.USER, "--jdbcPasswordFile=" + postgres.passwordFile(dir),
          "--work-dir=" + dir.resolve("work"), "--home=" + settings.home(),
          "--classpath=" + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      String printed = out.toString();

      assertEquals(0, exit, printed);
      assertTrue(printed.contains("Every run stored exactly the events it sent."), printed);
      // The table: its header, then one row for 200 events/s with every figure filled in; 200/s x 20 s = 4,000.
      List<String> lines = printed.lines().toList();
      int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("rate asked")).findFirst().orElseThrow());
      assertEquals(List.of("rate asked", "sent/s", "stored/s", "p50", "p95", "p99", "lag at end", "drain",
          "stored / sent", "sustained"), List.of(lines.get(header).split(" {2,}")));
      Matcher row = Pattern.compile("\\s*200\\s+([0-9,]+)\\s+([0-9,]+)\\s+([0-9,]+) ms\\s+([0-9,]+) ms\\s+([0-9,]+) ms"
          + "\\s+([0-9,]+)\\s+([0-9.]+) s\\s+4,000 / 4,000 yes\\s+(yes|no: .+)").matcher(lines.get(header + 1));
      assertTrue(row.matches(), lines.get(header + 1));
      long p50 = number(row.group(3));
      long p95 = number(row.group(4));
      long p99 = number(row.group(5));
      assertTrue(p50 <= p95 && p95 <= p99, "percentiles in order: " + lines.get(header + 1));
      assertTrue(lines.get(header + 2).matches("Load average: \\S+ \\S+ \\S+ at start, \\S+ \\S+ \\S+ at the end \\(\\d+ cores\\)"),
          lines.get(header + 2));
      assertTrue(printed.contains("lag (sent - stored) by second: 0 s: 0, "), printed);

      // The run's schema is gone again.
      Matcher schema = Pattern.compile("schema (bench_\\w+),").matcher(printed);
      assertTrue(schema.find(), printed);
      assertEquals(List.of(List.of(0L)), postgres.query(
          "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema.group(1) + "'"));
    } finally {
      stack.down(EnumSet.of(StackService.KAFKA));
    }
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }
}
