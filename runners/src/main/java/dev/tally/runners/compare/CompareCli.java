package dev.tally.runners.compare;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.runners.stack.StackSettings;
import dev.tally.schema.EventSchema;
import dev.tally.schema.SchemaException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * {@code ./tally compare}: one seeded input, the batch pipeline unchanged on every runner, and a table saying
 * whether they all counted the same. Exit codes: 0 all equal, 1 a run failed or differs (or cannot start), 2 bad
 * usage.
 */
@Command(
    name = "tally compare",
    mixinStandardHelpOptions = true,
    version = "tally compare 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Generates one seeded input (with invalid, duplicate and late records), runs the batch pipeline on it on the"
          + " Direct runner, the Spark runner in-process (local[2]), the Spark runner on the local stack's standalone"
          + " cluster (spark-submit of the bundled jar; the stack's Spark is started if it is not running) and the"
          + " Flink runner (embedded [local] cluster), each in a JVM of its own, and prints the wall time, events/s,"
          + " count rows and a SHA-256 of the counts of each, and whether they equal each other and the generator's"
          + " truth.",
      "Example: ./tally compare --events=300",
    })
public final class CompareCli implements Callable<Integer> {
  /** The Direct runner needed minutes for 300 events here (README): say so before a longer wait. */
  private static final int DIRECT_RUNNER_PATIENCE = 1_000;

  @Spec private CommandSpec spec;

  @Option(names = "--events", paramLabel = "N", defaultValue = "300", description = "Records to generate, invalid, duplicate and late ones included (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--runners", paramLabel = "LIST", split = ",", defaultValue = "direct,spark-local,spark-cluster,flink", description = "Runners, in order (default: ${DEFAULT-VALUE}).")
  List<String> runners;

  @Option(names = "--schema", paramLabel = "NAME|FILE", description = "Event schema of the generated input and the pipeline: a built-in name or a schema file (default: default).")
  String schema;

  /** The schema generated input is written in. */
  private EventSchema generatorSchema = EventSchema.defaultSchema();

  @Option(names = "--input", paramLabel = "GLOB", description = "Compare on these files instead of generated ones (no generator's truth then).")
  String input;

  @Mixin RunOptions run = new RunOptions();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return CliSupport.configure(new CommandLine(new CompareCli()), "tally compare");
  }

  @Override
  public Integer call() throws Exception {
    List<BeamRunner> chosen = chosenRunners();
    List<String> pipelineArgs = schemaArgs();
    if (input == null && events < 1) {
      throw usage("--events must be at least 1, got " + events);
    }
    PrintStream out = System.out;
    StackSettings settings = run.stackSettings();
    Path work = run.createWorkDir(settings, "compare");

    String inputGlob = input;
    Counts expected = null;
    long records = 0;
    if (input == null) {
      GeneratorConfig config =
          GeneratorConfig.builder().schema(generatorSchema).events(events).seed(run.seed).files(run.files).outputDir(work.resolve("input")).build();
      GeneratedData data = EventGenerator.generate(config);
      expected = Counts.of(GroundTruth.counts(data.records(), Duration.ofHours(1)));
      records = data.records().size();
      inputGlob = config.outputDir().toAbsolutePath() + "/" + GeneratorConfig.FILE_PREFIX + "*";
      out.printf(Locale.ROOT, "Input: %,d generated records (seed %d, %d files) in %s%n", records, run.seed, run.files, config.outputDir());
    } else {
      out.println("Input: " + input);
    }
    if (chosen.contains(BeamRunner.DIRECT) && events > DIRECT_RUNNER_PATIENCE && input == null) {
      out.printf(Locale.ROOT, "Note: the Direct runner is slow (minutes for 300 events on a busy 2-core machine); leave it"
          + " out with --runners=spark-local,spark-cluster,flink%n");
    }
    out.println("Outputs and logs: " + work);
    out.println();

    LegEnvironment environment = run.environment(settings);
    List<BeamLeg> legs = chosen.stream().map(runner -> new BeamLeg(runner, environment, pipelineArgs)).toList();
    Comparison.Outcome outcome =
        new Comparison(new LegRunner(run.timeout), out).run(legs, inputGlob, work, expected, records);
    out.println();
    out.print(outcome.table());
    out.println();
    if (outcome.allAgree()) {
      out.println("Every runner counted the same" + (expected != null ? ", and what the generator says is right." : "."));
      return CliSupport.EXIT_OK;
    }
    out.println("The runs do NOT agree (see the equal column); outputs and logs are in " + work);
    return CliSupport.EXIT_FAILED;
  }

  private List<BeamRunner> chosenRunners() {
    Set<BeamRunner> chosen = new LinkedHashSet<>();
    for (String name : runners) {
      try {
        chosen.add(BeamRunner.fromName(name));
      } catch (IllegalArgumentException e) {
        throw usage("--runners: " + e.getMessage());
      }
    }
    if (chosen.isEmpty()) {
      throw usage("--runners: name at least one of " + BeamRunner.names());
    }
    return new ArrayList<>(chosen);
  }

  /** {@code --schema=X} for the pipeline, after checking the schema loads; empty for the default. */
  private List<String> schemaArgs() {
    if (schema == null) {
      return List.of();
    }
    EventSchema loaded;
    try {
      loaded = EventSchema.load(schema);
    } catch (SchemaException e) {
      throw usage("--schema: " + e.getMessage());
    }
    generatorSchema = loaded;
    return List.of("--schema=" + schema);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
