package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.RunSummary;
import dev.tally.runners.compare.Counts;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's native Spark job and the batch pipeline (Beam on Spark local[2]) count the same generated input,
 * invalid, duplicate and late records included, and both count exactly what the generator says.
 */
@Tag("integration")
class NativeSparkCountTest {
  @TempDir Path dir;

  @Test
  void nativeSparkCountsExactlyWhatThePipelineCounts() throws Exception {
    ReferenceInput input = ReferenceInput.generate(dir.resolve("in"));

    SparkSession spark = SparkSession.builder().master("local[2]").appName("NativeSparkCountTest").getOrCreate();
    try {
      NativeSparkCount.count(spark, input.glob(), dir.resolve("native/counts"), CountingRules.hourlyDefault());
    } finally {
      spark.stop();
    }
    Counts nativeCounts = Counts.read(dir.resolve("native/counts"));

    RunSummary summary =
        BatchPipeline.run(BatchPipeline.parseOptions(
            "--runner=SparkRunner", "--sparkMaster=local[2]", "--input=" + input.glob(), "--output=" + dir.resolve("beam")));
    Counts pipelineCounts = Counts.read(dir.resolve("beam/counts"));

    assertEquals(input.expected(), pipelineCounts.rows());
    assertEquals(pipelineCounts.rows(), nativeCounts.rows());
    assertEquals(pipelineCounts.checksum(), nativeCounts.checksum());
    assertEquals(summary.valid(), nativeCounts.events());
  }
}
