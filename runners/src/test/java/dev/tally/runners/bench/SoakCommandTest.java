package dev.tally.runners.bench;

import static dev.tally.runners.bench.BenchUsageErrors.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** ./tally bench soak: its flags, parsed without running anything, and its summary of made-up samples. */
class SoakCommandTest {
  private static SoakCommand parse(String... args) {
    CommandLine.ParseResult result = BenchCli.commandLine().parseArgs(args);
    SoakCommand command = result.subcommand().commandSpec().commandLine().getCommand();
    command.validate();
    return command;
  }

  @Test
  void defaultsAre500EventsPerSecondForTenMinutesARowEvery30Seconds() {
    SoakCommand command = parse("soak");
    assertEquals(500.0, command.rate);
    assertEquals(Duration.ofMinutes(10), command.duration);
    assertEquals(Duration.ofSeconds(30), command.sample);
    assertEquals(Duration.ofMinutes(10), command.run.drainTimeout);
    assertEquals("2g", command.run.heap);
    assertEquals("jdbc:postgresql://127.0.0.1:5432/tally", command.run.jdbcUrl);
  }

  @Test
  void flagsAreParsed() {
    SoakCommand command = parse("soak", "--rate=1000", "--duration=PT1H", "--sample=PT1M",
        "--bootstrapServers=127.0.0.1:29492", "--pipeline-flag=--jdbcBatchSize=500", "--heap=1g",
        "--drain-timeout=PT2M");
    assertEquals(1000.0, command.rate);
    assertEquals(Duration.ofHours(1), command.duration);
    assertEquals(Duration.ofMinutes(1), command.sample);
    assertEquals("127.0.0.1:29492", command.run.bootstrapServers);
    assertEquals(List.of("--jdbcBatchSize=500"), command.run.pipelineFlags);
    assertEquals("1g", command.run.heap);
    assertEquals(Duration.ofMinutes(2), command.run.drainTimeout);
  }

  @Test
  void badFlagsAreOneLineUsageErrors() {
    assertUsageError("tally bench: --rate must be above 0 events/s, got 0.0 (see --help)", "soak", "--rate=0");
    assertUsageError("tally bench: --rate must be above 0 events/s, got NaN (see --help)", "soak", "--rate=NaN");
    assertUsageError("tally bench: --sample must be at least PT1S, got PT0.5S (see --help)", "soak", "--sample=PT0.5S");
    assertUsageError("tally bench: --duration must be at least 3 --sample intervals (the summary compares thirds),"
        + " got PT1M with --sample=PT30S (see --help)", "soak", "--duration=PT1M");
    assertUsageError("tally bench: --partitions must be at least 1, got 0 (see --help)", "soak", "--partitions=0");
    assertUsageError("tally bench: --startup-timeout, --ready-latency and --drain-timeout must not be negative"
        + " (see --help)", "soak", "--drain-timeout=-PT1S");
  }

  @Test
  void theSummarySaysWhetherLagAndHeapGrewAndTheVerdictWhetherAllWasStored() {
    List<SoakSample> samples = List.of(
        sample(30, 100, 200), sample(60, 300, 900), sample(90, 200, 210), sample(120, 200, 950),
        sample(150, 300, 205), sample(180, 100, 1000), new SoakSample(185, 60_000, 60_000, null, "1.0 1.0 1.0", false));
    Soak.Result result = new Soak.Result(samples, 60_000, 60_000, 600.0, 3.5, null);
    assertEquals(List.of(
        "Produced 60,000 events in 600.0 s (100/s); stored 60,000; the last sample 3.5 s after producing stopped.",
        "Lag (produced - stored), mean over the producing samples: 200 in the first third, 200 in the last: steady"
            + " (grown means > 1.5x and > 500 events, 5 s of input)",
        "Heap used, lowest sample: 200 MB in the first third, 205 MB in the last: steady (grown means > 1.25x and"
            + " > 64 MB); highest used 1,000 MB, committed 1,024 to 1,024 MB"),
        SoakCommand.summary(result, 100));
    assertEquals("All 60,000 produced events were stored.", SoakCommand.verdict(result));
  }

  @Test
  void aGrowingLagIsCalledSoAndWhatWasNotStoredFailsTheSoak() {
    List<SoakSample> samples = List.of(sample(30, 100, 200), sample(60, 2_000, 200), sample(90, 4_000, 200));
    Soak.Result result = new Soak.Result(samples, 60_000, 59_000, 600.0, 600.0,
        "59,000 of 60,000 produced events stored within --drain-timeout PT10M");
    assertEquals("Lag (produced - stored), mean over the producing samples: 100 in the first third, 4,000 in the"
        + " last: GREW (grown means > 1.5x and > 500 events, 5 s of input)", SoakCommand.summary(result, 100).get(1));
    assertEquals("NOT all produced events were stored: 59,000 of 60,000 produced events stored within"
        + " --drain-timeout PT10M", SoakCommand.verdict(result));
    assertEquals("NOT all produced events were stored: 59,000 of 60,000",
        SoakCommand.verdict(new Soak.Result(samples, 60_000, 59_000, 600.0, 1.0, null)));
  }

  @Test
  void tooFewSamplesOrHeapReadingsAreSaidSo() {
    SoakSample noHeap = new SoakSample(30, 10, 10, null, "1.0 1.0 1.0", true);
    assertEquals("Growth: too few samples while producing (2) to compare thirds.", SoakCommand.summary(
        new Soak.Result(List.of(noHeap, noHeap), 10, 10, 60.0, 1.0, null), 100).get(1));
    assertEquals("Heap: too few readings (0) to compare thirds.", SoakCommand.summary(
        new Soak.Result(List.of(noHeap, noHeap, noHeap), 10, 10, 90.0, 1.0, null), 100).get(2));
  }

  /** A producing sample with the given lag and used heap (MB) out of 1,024 MB committed. */
  private static SoakSample sample(long second, long lag, double usedMb) {
    return new SoakSample(second, 100 * second, 100 * second - lag, new HeapUsage(usedMb * 1024, 1024 * 1024),
        "1.0 1.0 1.0", true);
  }
}
