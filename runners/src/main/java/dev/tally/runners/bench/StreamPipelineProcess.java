package dev.tally.runners.bench;

import dev.tally.runners.compare.CompareException;
import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The streaming pipeline in a JVM of its own, as {@code ./tally stream} runs it: Spark local[2], streaming, 1000 ms
 * batches, the Java 17 flags, output to a log file. Stopped with SIGTERM, as Ctrl-C would.
 */
final class StreamPipelineProcess implements AutoCloseable {
  static final List<String> RUNNER_FLAGS = List.of(
      "--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=1000");
  private static final long STOP_SECONDS = 30;

  private final Process process;
  private final Path log;

  private StreamPipelineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param javaOptions extra JVM options (e.g. a JFR recording) before the main class
   * @param pipelineFlags the pipeline's flags after {@link #RUNNER_FLAGS}
   */
  static StreamPipelineProcess start(StackSettings settings, String classpath, String heap, List<String> javaOptions,
      List<String> pipelineFlags, Path log) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add("-Xmx" + heap);
    command.addAll(settings.javaFlags());
    command.addAll(javaOptions);
    command.addAll(List.of("-cp", classpath, "dev.tally.pipelines.StreamingPipeline"));
    command.addAll(RUNNER_FLAGS);
    command.addAll(pipelineFlags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", StackSettings.HOST);
    try {
      Files.createDirectories(log.getParent());
      return new StreamPipelineProcess(builder.start(), log);
    } catch (IOException e) {
      throw new CompareException("cannot start the pipeline (" + command.get(0) + "): " + e.getMessage());
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** SIGTERM, then SIGKILL (with whatever it started) if it has not ended within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
  }
}
