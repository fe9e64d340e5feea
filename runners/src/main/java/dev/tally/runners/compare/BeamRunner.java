package dev.tally.runners.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The runners {@code ./tally compare} runs the batch pipeline on, by their command-line names. */
public enum BeamRunner {
  /** Beam's reference runner, in-process. */
  DIRECT("direct", List.of("--runner=DirectRunner")),
  /** Spark in-process with two worker threads. */
  SPARK_LOCAL("spark-local", List.of("--runner=SparkRunner", "--sparkMaster=local[2]")),
  /** spark-submit of the bundled jar to the local stack's standalone Master (which sets the master itself). */
  SPARK_CLUSTER("spark-cluster", List.of("--runner=SparkRunner")),
  /** Flink's embedded cluster, two slots like Spark's local[2]. */
  FLINK("flink", List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

  private final String cliName;
  private final List<String> pipelineArgs;

  BeamRunner(String cliName, List<String> pipelineArgs) {
    this.cliName = cliName;
    this.pipelineArgs = pipelineArgs;
  }

  public String cliName() {
    return cliName;
  }

  /** The Beam flags that pick this runner. */
  public List<String> pipelineArgs() {
    return pipelineArgs;
  }

  /** @throws IllegalArgumentException naming the valid names */
  public static BeamRunner fromName(String name) {
    return Arrays.stream(values())
        .filter(runner -> runner.cliName.equals(name.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown runner '" + name + "': use " + names()));
  }

  /** "direct, spark-local, spark-cluster, flink". */
  public static String names() {
    return Arrays.stream(values()).map(BeamRunner::cliName).collect(Collectors.joining(", "));
  }
}
