package dev.tally.runners.bench;

import static dev.tally.runners.bench.BenchUsageErrors.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags of ./tally bench stream, parsed without running anything. */
class StreamBenchCommandTest {
  private static StreamBenchCommand parse(String... args) {
    CommandLine commandLine = BenchCli.commandLine();
    CommandLine.ParseResult result = commandLine.parseArgs(args);
    StreamBenchCommand command = result.subcommand().commandSpec().commandLine().getCommand();
    return command;
  }

  @Test
  void defaultsAreOneRunOf2000EventsPerSecondForTwoMinutes() {
    StreamBenchCommand command = parse("stream");
    assertEquals(Duration.ofMinutes(2), command.duration);
    assertEquals(Duration.ofSeconds(10), command.warmUp);
    assertEquals("jdbc:postgresql://127.0.0.1:5432/tally", command.run.jdbcUrl);
    RateSteps steps = command.steps();
    assertEquals(OptionalDouble.of(2000), steps.next());
    steps.record(2000, true);
    assertEquals(OptionalDouble.empty(), steps.next());
  }

  @Test
  void ratesAndDurationsAreParsed() {
    StreamBenchCommand command = parse("stream", "--rates=2000,5000,10000", "--duration=PT1M", "--max-lag=PT3S",
        "--pipeline-flag=--jdbcBatchSize=5000", "--pipeline-flag=--windowSize=PT1M");
    assertEquals(List.of(2000.0, 5000.0, 10000.0), command.rates);
    assertEquals(Duration.ofMinutes(1), command.duration);
    assertEquals(Duration.ofSeconds(3), command.maxLag);
    assertEquals(List.of("--jdbcBatchSize=5000", "--windowSize=PT1M"), command.run.pipelineFlags);
    assertEquals(OptionalDouble.of(2000), command.steps().next());
  }

  @Test
  void findMaxStartsAtTheRate() {
    RateSteps steps = parse("stream", "--find-max", "--rate=5000", "--max-rate=20000").steps();
    assertEquals(OptionalDouble.of(5000), steps.next());
    steps.record(5000, true);
    assertEquals(OptionalDouble.of(10000), steps.next());
  }

  @Test
  void badCombinationsAreOneLineUsageErrors() {
    assertUsageError("tally bench: give --rates or --find-max, not both (see --help)",
        "stream", "--rates=1000", "--find-max");
    assertUsageError("tally bench: rates must be above 0 events/s, got 0.0 (see --help)", "stream", "--rate=0");
    assertUsageError("tally bench: --duration must be at least PT2S, got PT1S (see --help)", "stream", "--duration=PT1S");
    assertUsageError("tally bench: --partitions must be at least 1, got 0 (see --help)", "stream", "--partitions=0");
  }
}
