package dev.tally.runners.compare;

import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options {@code ./tally compare} and {@code ./tally bench batch} share: input generation and how runs run. */
public final class RunOptions {
  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  public long seed;

  @Option(names = "--files", paramLabel = "N", defaultValue = "4", description = "Input files to generate (default: ${DEFAULT-VALUE}).")
  public int files;

  @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "4g", description = "Heap of each run's JVM (default: ${DEFAULT-VALUE}).")
  public String heap;

  @Option(names = "--jvm-option", paramLabel = "OPTION",
      description = "An option for each run's JVM (not spark-cluster's), repeatable, e.g."
          + " --jvm-option=-XX:StartFlightRecording=filename=run-%p.jfr,settings=profile")
  public List<String> jvmOptions = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H", description = "Longest a run may take, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration timeout;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the input, outputs and logs go (default: data/<command>/<local time>).")
  public Path workDir;

  @Option(names = "--stack-dir", paramLabel = "DIR", description = "The stack's folder, for spark-cluster (default: $TALLY_STACK_DIR, else <repo>/data/stack).")
  public Path stackDir;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  public StackSettings stackSettings() {
    StackSettings.Builder builder = StackSettings.builder();
    if (stackDir != null) {
      builder.dir(stackDir);
    }
    return builder.build();
  }

  /** Runs on this JVM's classpath (the launcher's) with {@link #heap} and {@link #jvmOptions}. */
  public LegEnvironment environment(StackSettings settings) {
    return new LegEnvironment(settings, System.getProperty("java.class.path"), heap, jvmOptions);
  }

  /** {@link #workDir}, else a new {@code <repo>/data/<kind>/<local time>}; refuses a folder that is not empty. */
  public Path createWorkDir(StackSettings settings, String kind) throws IOException {
    return CliSupport.workDir(command.commandLine(), workDir, settings.home().resolve("data").resolve(kind));
  }
}
