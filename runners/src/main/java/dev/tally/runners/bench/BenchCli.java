package dev.tally.runners.bench;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratorConfig;
import dev.tally.runners.compare.BeamLeg;
import dev.tally.runners.compare.BeamRunner;
import dev.tally.runners.compare.CliSupport;
import dev.tally.runners.compare.Leg;
import dev.tally.runners.compare.LegEnvironment;
import dev.tally.runners.compare.LegRunner;
import dev.tally.runners.compare.RunOptions;
import dev.tally.runners.stack.StackSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./tally bench}: commands that measure and print figures. Exit codes: 0 done, 1 failed or differing, 2 usage. */
@Command(
    name = "tally bench",
    mixinStandardHelpOptions = true,
    version = "tally bench 0.1.0",
    usageHelpAutoWidth = true,
    subcommands = {BenchCli.Batch.class, StreamBenchCommand.class, SoakCommand.class},
    description = "Benchmarks that print their figures: batch (runners against native Spark and a Java loop), stream"
        + " (Kafka -> Spark streaming -> PostgreSQL: sustained events/s, latency, the highest sustained rate), soak (the"
        + " streaming path at a steady rate for long: lag, heap and rows over time).")
public final class BenchCli implements Callable<Integer> {
  /** Names of the legs beside the Beam runners. */
  static final List<String> REFERENCES = List.of(ReferenceLeg.NATIVE_SPARK, ReferenceLeg.JAVA_LOOP);

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return CliSupport.configure(new CommandLine(new BenchCli()), "tally bench");
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliSupport.EXIT_USAGE;
  }

  @Command(
      name = "batch",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpAutoWidth = true,
      description = {
        "Generates one seeded input (default schema, with invalid, duplicate and late records) and counts it, --runs"
            + " times round after round, with the batch pipeline on Spark local[2], the Direct runner and Flink [local],"
            + " a native Spark job (DataFrame API, local[2]) and a plain single-thread Java loop, each run in a JVM of"
            + " its own. Prints each run's wall time and events/s, the median, its ratio to native Spark and to the"
            + " Java loop, and checks that every run wrote the same counts.",
        "Example: ./tally bench batch --events=1000000 --runs=3",
      })
  static final class Batch implements Callable<Integer> {
    /** Above this the Direct runner is left out unless forced: 300 events take it minutes already. */
    static final int DIRECT_RUNNER_LIMIT = 100_000;

    @Spec CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000", description = "Records to generate (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs of each runner (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--runners", paramLabel = "LIST", split = ",", defaultValue = "spark-local,direct,flink,native-spark,java-loop",
        description = "What to run, in order: direct, spark-local, spark-cluster, flink, native-spark, java-loop (default: ${DEFAULT-VALUE}).")
    List<String> runners;

    @Option(names = "--force-direct", description = "Run the Direct runner even above " + DIRECT_RUNNER_LIMIT + " events.")
    boolean forceDirect;

    @Option(names = "--users", paramLabel = "N", description = "Distinct users (default: the generator's).")
    Integer users;

    @Mixin RunOptions run = new RunOptions();

    @Option(names = "--pipeline-flag", paramLabel = "FLAG",
        description = "A further flag for the Beam runs, repeatable, e.g. --pipeline-flag=--storageLevel=MEMORY_ONLY_SER.")
    List<String> pipelineFlags = new ArrayList<>();

    @Option(names = "--keep", description = "Keep the input and every run's output (default: only the logs stay).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      if (events < 1 || runs < 1 || run.files < 1) {
        throw new ParameterException(spec.commandLine(), "--events, --runs and --files must be at least 1");
      }
      PrintStream out = System.out;
      StackSettings settings = run.stackSettings();
      LegEnvironment environment = run.environment(settings);
      List<Leg> legs = legs(environment, out);
      Path work = run.createWorkDir(settings, "bench");

      Path inputDir = work.resolve("input");
      GeneratorConfig.Builder generator = GeneratorConfig.builder().events(events).files(run.files).seed(run.seed).outputDir(inputDir);
      if (users != null) {
        generator.users(users);
      }
      GeneratorConfig config = generator.build();
      out.printf(Locale.ROOT, "Generating %,d records (%d files, seed %d) into %s ...%n", events, run.files, run.seed, inputDir);
      long records = EventGenerator.write(config).totals().records();
      String input = inputDir.toAbsolutePath() + "/" + GeneratorConfig.FILE_PREFIX + "*";
      out.printf(Locale.ROOT, "Machine: %d cores, load average %s at start; each run's JVM -Xmx%s%n",
          Runtime.getRuntime().availableProcessors(), LoadAverage.now(), run.heap);
      out.println();

      BatchBenchmark.Result result =
          new BatchBenchmark(new LegRunner(run.timeout), out, keep).run(legs, input, records, runs, work);
      if (!keep) {
        BatchBenchmark.deleteTree(inputDir);
      }
      out.println();
      out.printf(Locale.ROOT, "%,d records, %d run(s) each; wall time of each JVM from start to exit, start-up included:%n", records, runs);
      out.print(result.table());
      out.println();
      out.printf("Load average at the end: %s. Logs in %s%n", LoadAverage.now(), work);
      if (result.allAgree()) {
        out.println("Every run of every runner wrote the same counts.");
        return CliSupport.EXIT_OK;
      }
      out.println("The runs do NOT all agree (failed runs, or more than one checksum above).");
      return CliSupport.EXIT_FAILED;
    }

    private List<Leg> legs(LegEnvironment environment, PrintStream out) {
      Set<String> names = new LinkedHashSet<>();
      runners.forEach(name -> names.add(name.strip().toLowerCase(Locale.ROOT)));
      List<Leg> legs = new ArrayList<>();
      for (String name : names) {
        if (name.equals(ReferenceLeg.NATIVE_SPARK)) {
          legs.add(ReferenceLeg.nativeSpark(environment));
        } else if (name.equals(ReferenceLeg.JAVA_LOOP)) {
          legs.add(ReferenceLeg.javaLoop(environment));
        } else {
          BeamRunner runner;
          try {
            runner = BeamRunner.fromName(name);
          } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                "--runners: unknown runner '" + name + "': use " + BeamRunner.names() + ", " + String.join(", ", REFERENCES));
          }
          if (runner == BeamRunner.DIRECT && events > DIRECT_RUNNER_LIMIT && !forceDirect) {
            out.printf(Locale.ROOT, "Note: direct is left out above %,d events: the Direct runner needs minutes for a few"
                + " hundred events here; --force-direct runs it anyway.%n", DIRECT_RUNNER_LIMIT);
            continue;
          }
          legs.add(new BeamLeg(runner, environment, pipelineFlags));
        }
      }
      if (legs.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--runners: nothing left to run");
      }
      return legs;
    }
  }
}
