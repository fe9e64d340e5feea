package dev.tally.runners.compare;

import dev.tally.runners.stack.SparkStandalone;
import dev.tally.runners.stack.SparkSubmit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch pipeline, unchanged, on one Beam runner: a JVM on the launcher's classpath (Direct, Spark local), on the
 * Flink classpath (Flink), or spark-submit of the bundled jar to the stack's Spark standalone cluster.
 *
 * @param runner which runner
 * @param environment how processes are started
 * @param pipelineArgs further pipeline flags, e.g. {@code --schema=rees46}
 */
public record BeamLeg(BeamRunner runner, LegEnvironment environment, List<String> pipelineArgs) implements Leg {
  public static final String MAIN_CLASS = "dev.tally.pipelines.BatchPipeline";

  public BeamLeg {
    pipelineArgs = List.copyOf(pipelineArgs);
  }

  @Override
  public String name() {
    return runner.cliName();
  }

  /** For the cluster: starts the stack's Spark (Master and Worker) unless it runs, and says which it did. */
  @Override
  public void prepare(PrintStream out) {
    if (runner != BeamRunner.SPARK_CLUSTER) {
      return;
    }
    SparkStandalone spark = new SparkStandalone(environment.settings(), out);
    out.println("spark-cluster: the stack's Spark standalone cluster, folder " + environment.settings().dir());
    if (spark.up()) {
      out.println("spark-cluster: the stack's Spark was not running, so it was started; it keeps running (stop it"
          + " with ./tally stack down spark)");
    }
  }

  @Override
  public ProcessBuilder process(String input, Path output) {
    List<String> args = new ArrayList<>(runner.pipelineArgs());
    args.add("--input=" + input);
    args.add("--output=" + output);
    args.addAll(pipelineArgs);
    switch (runner) {
      case SPARK_CLUSTER:
        return SparkSubmit.toStack(environment.settings()).processBuilder(args);
      case FLINK:
        return environment.java(environment.flinkClasspath(), MAIN_CLASS, args);
      default:
        return environment.java(environment.launcherClasspath(), MAIN_CLASS, args);
    }
  }
}
