package dev.tally.pipelines.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.StreamingPipeline;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The count window's default follows the path: minutes for the live stream, hours for a batch of history. */
class WindowOptionsTest {
  @Test
  void streamingDefaultsToOneMinuteWindows() {
    assertEquals("PT1M", StreamingPipeline.parseOptions().getWindowSize());
    // The streaming pipeline is a streaming job on every runner, even when told otherwise.
    assertEquals("PT1M", StreamingPipeline.parseOptions("--streaming=false").getWindowSize());
  }

  @Test
  void batchDefaultsToOneHourWindows() {
    assertEquals("PT1H", batch().getWindowSize());
  }

  @Test
  void anExplicitWindowSizeWinsOnBothPaths() {
    assertEquals("PT5M", StreamingPipeline.parseOptions("--windowSize=PT5M").getWindowSize());
    assertEquals("PT5M", batch("--windowSize=PT5M").getWindowSize());
  }

  private static BatchPipelineOptions batch(String... flags) {
    return BatchPipeline.parseOptions(
        Stream.concat(Stream.of("--input=events/*.csv", "--output=out"), Stream.of(flags))
            .toArray(String[]::new));
  }
}
