package dev.tally.runners.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The streaming pipeline in a JVM of its own, as `./tally stream` runs it, logging to a file. */
final class PipelineProcess {
  static final String CONSUMER_GROUP = "pipeline-process";

  private PipelineProcess() {}

  /** Starts run number {@code run} on Spark local[2], with its checkpoint in {@code dir}, its log in {@link #logFile}. */
  static Process start(StreamTestServices services, Path dir, int run) throws IOException {
    return start(services, dir, run, List.of(
        "--runner=SparkRunner", "--sparkMaster=local[2]", "--batchIntervalMillis=1000",
        "--checkpointDir=" + dir.resolve("checkpoint")));
  }

  /** Starts run number {@code run} with these runner flags; no --streaming: the pipeline sets it itself. */
  static Process start(StreamTestServices services, Path dir, int run, List<String> runnerFlags) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(services.settings.javaExecutable().toString());
    command.add("-Xmx1g");
    command.addAll(services.settings.javaFlags());
    command.addAll(List.of(
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "dev.tally.pipelines.StreamingPipeline"));
    command.addAll(runnerFlags);
    command.addAll(services.pipelineFlags(CONSUMER_GROUP));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(logFile(dir, run).toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /** Under target/, so that a failed run's log outlives the test's temporary folder. */
  static Path logFile(Path dir, int run) throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "pipeline-logs"));
    return logs.resolve(dir.getFileName() + "-pipeline-" + run + ".log");
  }

  /** The last 40 lines of run {@code run}'s log. */
  static String log(Path dir, int run) {
    try {
      List<String> lines = Files.readAllLines(logFile(dir, run));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
