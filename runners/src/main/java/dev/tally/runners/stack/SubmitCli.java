package dev.tally.runners.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./tally submit [--pipeline=batch|stream] [pipeline flags...]}: spark-submit of the bundled batch or
 * streaming pipeline to the local stack's Spark Master, in client mode; returns spark-submit's exit code (1 with a
 * message if it cannot start, 2 bad usage). SIGTERM or Ctrl-C stops the driver too, and with it the application.
 */
@Command(
    name = "tally submit",
    mixinStandardHelpOptions = true,
    version = "tally submit 0.1.0",
    usageHelpAutoWidth = true,
    description = {
      "Submits the batch or streaming pipeline (pipelines/target/tally-pipelines-bundled.jar) to a Spark standalone"
          + " Master with spark-submit from the Maven-built SPARK_HOME, as a stock Spark 3.5 user would. Every other"
          + " flag goes to the pipeline (see ./tally batch --help, ./tally stream --help); --runner=SparkRunner is"
          + " added. HADOOP_CONF_DIR defaults to the stack's HDFS client configuration, so hdfs:// paths work.",
      "--pipeline=stream adds, each unless given: --streaming=true --batchIntervalMillis=1000"
          + " --checkpointDir=<stack dir>/stream-checkpoint, the stack's Kafka (--bootstrapServers) and PostgreSQL"
          + " (--jdbcUrl, and --jdbcPasswordFile=<stack dir>/postgres/password unless TALLY_JDBC_PASSWORD is set)."
          + " It runs until SIGTERM or Ctrl-C, which stop the driver and the application on the cluster.",
      "Examples: ./tally submit --input='data/events/events-*' --output=out/cluster",
      "          ./tally submit --pipeline=stream --windowSize=PT1M",
    })
public final class SubmitCli implements Callable<Integer> {
  private static final Pattern MASTER_URL = Pattern.compile("spark://[^:/]+:[0-9]+");
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  @Option(names = "--master", paramLabel = "URL", description = "Spark Master (default: the stack's, spark://127.0.0.1:7077).")
  String master;

  /** Which pipeline of the bundled jar to submit. */
  enum Pipeline {
    batch,
    stream
  }

  @Option(names = "--pipeline", paramLabel = "batch|stream", defaultValue = "batch",
      description = "batch (" + SparkSubmit.DEFAULT_MAIN_CLASS + ", the default) or stream ("
          + StreamingJobFlags.MAIN_CLASS + ", with the stack's defaults).")
  Pipeline pipeline;

  @Option(names = "--class", paramLabel = "CLASS", description = "Main class in the bundled jar (default: the --pipeline's).")
  String mainClass;

  @Option(names = "--stack-dir", paramLabel = "DIR", description = "The stack's folder (default: $TALLY_STACK_DIR, else <repo>/data/stack).")
  Path stackDir;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new SubmitCli());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof StackException) {
            cmd.getErr().println("tally submit: " + exception.getMessage());
            return StackCli.EXIT_FAILURE;
          }
          if (exception instanceof ParameterException) {
            cmd.getErr().println("tally submit: " + exception.getMessage());
            return StackCli.EXIT_USAGE;
          }
          throw exception;
        });
    System.exit(commandLine.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    StackSettings.Builder builder = StackSettings.builder();
    if (stackDir != null) {
      builder.dir(stackDir);
    }
    StackSettings settings = builder.build();
    SparkSubmit submit = SparkSubmit.toStack(settings);
    List<String> flags = pipelineArgs;
    if (pipeline == Pipeline.stream) {
      submit = submit.withMainClass(StreamingJobFlags.MAIN_CLASS);
      flags = StreamingJobFlags.withStackDefaults(pipelineArgs, new LocalStack(settings, System.err), System.getenv());
    }
    if (master != null) {
      if (!MASTER_URL.matcher(master).matches()) {
        throw new ParameterException(spec.commandLine(), "--master must look like spark://HOST:PORT, got '" + master + "'");
      }
      submit = submit.withMaster(master);
    }
    if (mainClass != null) {
      submit = submit.withMainClass(mainClass);
    }
    submit.checkReady();
    Map<String, String> environment = submit.environment();
    System.err.println("tally submit: " + shellLine(environment, submit.command(flags)));
    Instant begin = Instant.now();
    int exitCode = submit.run(flags);
    System.err.printf(
        "tally submit: spark-submit exited with code %d after %.1f s%n",
        exitCode, Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    return exitCode;
  }

  /** The command as one line a user can paste into a shell. */
  static String shellLine(Map<String, String> environment, List<String> command) {
    String variables =
        environment.entrySet().stream()
            .map(entry -> entry.getKey() + "=" + quote(entry.getValue()))
            .collect(Collectors.joining(" "));
    String words = command.stream().map(SubmitCli::quote).collect(Collectors.joining(" "));
    return variables.isEmpty() ? words : variables + " " + words;
  }

  private static String quote(String word) {
    return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
