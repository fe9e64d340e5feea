package dev.tally.generator;

import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally generate}: writes synthetic events and their manifest, to files or (with {@code --bootstrapServers}) to a
 * Kafka topic. Exit codes: 0 done, 1 an I/O error or an unreachable broker, 2 a bad
 * option value or an output folder holding an earlier run. Bad values are reported in one line naming the
 * option.
 */
@Command(
    name = "tally generate",
    mixinStandardHelpOptions = true,
    version = "tally generate 0.1.0",
    sortOptions = false,
    sortSynopsis = false,
    usageHelpAutoWidth = true,
    description = {
      "Writes synthetic events of a schema (by default Tally's user-activity model), with injected invalid,"
          + " duplicate and late records, and a _MANIFEST.json of what was injected. The same options and seed"
          + " write the same bytes. With --bootstrapServers the same records go to a Kafka topic instead (key: the"
          + " user id; value: one line, no CSV header) and the manifest to --manifest.",
    })
public final class GeneratorCli implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_IO_ERROR = 1;
  static final int EXIT_USAGE = 2;

  /** "invalidRate (--invalid-rate)" or "a + b (--a + --b)" in config messages; group 1 is the flag part. */
  private static final Pattern OPTION_NAMES =
      Pattern.compile("\\b[A-Za-z]+(?: \\+ [A-Za-z]+)* \\((--[a-z-]+(?: \\+ --[a-z-]+)*)\\)");

  private static final String WHOLE_NUMBER = "a whole number";
  private static final String RATE = "a number between 0 and 1";
  static final String DEFAULT_TOPIC = "events";
  private static final List<String> FILE_OPTIONS = List.of("--output", "--files", "--gzip", "--overwrite");
  private static final List<String> KAFKA_OPTIONS = List.of("--topic", "--rate", "--duration", "--manifest");

  @Spec private CommandSpec spec;

  // Values are taken as text and converted in call(), so a bad value gets one line naming the option rather
  // than picocli's message followed by the whole usage help.
  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "" + GeneratorConfig.DEFAULT_EVENTS,
      description = "Records to write, including invalid, duplicate and late ones (default: ${DEFAULT-VALUE}).")
  private String events;

  @Option(
      names = "--schema",
      paramLabel = "NAME_OR_PATH",
      description =
          "The records' layout, fields and value distributions: a built-in schema ("
              + EventSchema.DEFAULT_NAME + ", db-actions, card-transactions, rees46, retailrocket) or the path of a"
              + " JSON schema file (default: " + EventSchema.DEFAULT_NAME + ").")
  private String schema;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Distinct users; a few are heavy users (default: the schema's generator.users, 500 for the"
          + " default schema).")
  private String users;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      defaultValue = GeneratorConfig.DEFAULT_START,
      description = "Earliest event time, ISO-8601 (default: ${DEFAULT-VALUE}).")
  private String start;

  @Option(
      names = "--span",
      paramLabel = "DURATION",
      defaultValue = GeneratorConfig.DEFAULT_SPAN,
      description = "Event times fall in [start, start + span), ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  private String span;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      defaultValue = GeneratorConfig.DEFAULT_OUTPUT_DIR,
      description =
          "Output folder, created if missing: a local path or an HDFS URI such as hdfs://127.0.0.1:8020/tally/events"
              + " (client settings from HADOOP_CONF_DIR) (default: ${DEFAULT-VALUE}).")
  private String output;

  @Option(
      names = "--format",
      paramLabel = "csv|jsonl",
      description = "csv or jsonl, case-insensitive, overriding the schema's format (default: the schema's, csv"
          + " for the default schema).")
  private String format;

  @Option(names = "--gzip", description = "Gzip the files (.gz).")
  private boolean gzip;

  @Option(
      names = "--files",
      paramLabel = "N",
      defaultValue = "" + GeneratorConfig.DEFAULT_FILES,
      description = "Number of files the records are split into (default: ${DEFAULT-VALUE}).")
  private String files;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "" + GeneratorConfig.DEFAULT_SEED,
      description = "Random seed; the same seed writes the same bytes (default: ${DEFAULT-VALUE}).")
  private String seed;

  @Option(
      names = "--invalid-rate",
      paramLabel = "RATE",
      defaultValue = "" + GeneratorConfig.DEFAULT_INVALID_RATE,
      description = "Share of records with one defect each, of every kind the schema allows (default:"
          + " ${DEFAULT-VALUE}).")
  private String invalidRate;

  @Option(
      names = "--duplicate-rate",
      paramLabel = "RATE",
      defaultValue = "" + GeneratorConfig.DEFAULT_DUPLICATE_RATE,
      description = "Share of records that copy an earlier valid record; none for a schema without an event id"
          + " (default: ${DEFAULT-VALUE}).")
  private String duplicateRate;

  @Option(
      names = "--late-rate",
      paramLabel = "RATE",
      defaultValue = "" + GeneratorConfig.DEFAULT_LATE_RATE,
      description = "Share of records that are valid events 1 to 3 hours late (default: ${DEFAULT-VALUE}).")
  private String lateRate;

  @Option(
      names = "--overwrite",
      description = "Delete the events-* files and manifest of an earlier run in the output folder first.")
  private boolean overwrite;

  @Option(
      names = "--bootstrapServers",
      paramLabel = "HOST:PORT",
      description = "Kafka mode: send the records to a topic of this broker instead of writing files (the local"
          + " stack's broker: 127.0.0.1:9092).")
  private String bootstrapServers;

  @Option(
      names = "--topic",
      paramLabel = "NAME",
      defaultValue = DEFAULT_TOPIC,
      description = "Kafka mode: the topic, created with the broker's default partitions if missing (default:"
          + " ${DEFAULT-VALUE}).")
  private String topic;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_SECOND",
      defaultValue = "0",
      description = "Kafka mode: records sent per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
  private String rate;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Kafka mode, instead of --events: send for this long at --rate, ISO-8601 (e.g. PT10M); the"
          + " record count is rate x duration.")
  private String duration;

  @Option(
      names = "--manifest",
      paramLabel = "PATH",
      description = "Kafka mode: where the manifest goes (default: data/kafka-manifest-<topic>.json).")
  private String manifest;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GeneratorCli()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GeneratorConfig config;
    try {
      checkModeOptions();
      config = config();
      if (bootstrapServers != null) {
        return toKafka(config, out, err);
      }
    } catch (IllegalArgumentException e) {
      err.println("tally generate: " + optionNamesOnly(e.getMessage()));
      err.flush();
      return EXIT_USAGE;
    }
    Manifest manifest;
    try {
      manifest = EventGenerator.write(config);
    } catch (FileAlreadyExistsException | IllegalArgumentException e) {
      err.println("tally generate: " + optionNamesOnly(e.getMessage()));
      err.flush();
      return EXIT_USAGE;
    } catch (IOException e) {
      err.println("tally generate: cannot write to " + config.output() + ": " + e
          + (config.output().startsWith("hdfs://") ? " (is HDFS running? ./tally stack up hdfs)" : ""));
      err.flush();
      return EXIT_IO_ERROR;
    }
    printSummary(out, config, manifest);
    out.flush();
    return EXIT_OK;
  }

  /** Options of the other mode are refused rather than silently ignored. */
  private void checkModeOptions() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    List<String> misplaced = bootstrapServers != null ? FILE_OPTIONS : KAFKA_OPTIONS;
    for (String option : misplaced) {
      if (parsed.hasMatchedOption(option)) {
        throw new IllegalArgumentException(bootstrapServers != null
            ? option + " applies to files; with --bootstrapServers the records go to the topic"
            : option + " applies to Kafka mode only: add --bootstrapServers=HOST:PORT");
      }
    }
    if (duration != null && parsed.hasMatchedOption("--events")) {
      throw new IllegalArgumentException("give --events or --duration, not both");
    }
  }

  /** Kafka mode: sends the records, prints the achieved rate, writes the manifest. */
  private int toKafka(GeneratorConfig fileConfig, PrintWriter out, PrintWriter err) {
    double eventsPerSecond = parse("--rate", rate, Double::valueOf, "a number of events per second");
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException("--rate must be a number >= 0, got " + rate);
    }
    GeneratorConfig config = duration == null
        ? fileConfig
        : fileConfig.toBuilder().events(KafkaEventProducer.eventsFor(eventsPerSecond,
            parse("--duration", duration, Duration::parse, "an ISO-8601 duration like PT10M"))).build();
    Path manifestPath = Path.of(manifest != null ? manifest : "data/kafka-manifest-" + topic + ".json");
    out.printf(Locale.ROOT, "Sending %,d records to topic %s at %s (%s)...%n", config.events(), topic,
        bootstrapServers, eventsPerSecond == 0 ? "as fast as possible" : rate + " events/s");
    out.flush();
    KafkaRun run;
    try {
      run = KafkaEventProducer.send(config, bootstrapServers.strip(), topic, eventsPerSecond, record -> {});
      run.manifest().write(manifestPath);
    } catch (KafkaUnavailableException e) {
      err.println("tally generate: " + e.getMessage());
      err.flush();
      return EXIT_IO_ERROR;
    } catch (IOException e) {
      err.println("tally generate: cannot write the manifest " + manifestPath + ": " + e);
      err.flush();
      return EXIT_IO_ERROR;
    }
    KafkaManifest sent = run.manifest();
    out.printf(Locale.ROOT, "Sent %,d records to topic %s in %.1f s: %,.0f events/s achieved%n",
        sent.totals().records(), topic, run.elapsed().toNanos() / 1e9, run.achievedRate());
    out.printf(Locale.ROOT, "  partitions  %s%n", sent.partitions().stream()
        .map(p -> p.partition() + ": " + p.records())
        .collect(Collectors.joining(", ")));
    printTotals(out, config, sent.config().schema(), sent.totals());
    out.printf(Locale.ROOT, "  manifest    %s%n", manifestPath);
    out.flush();
    return EXIT_OK;
  }

  /** The options as a config. @throws IllegalArgumentException naming the first bad option */
  GeneratorConfig config() {
    return GeneratorConfig.builder()
        .schema(EventSchema.load(schema))
        .events(parse("--events", events, Integer::valueOf, WHOLE_NUMBER))
        .users(users == null ? null : parse("--users", users, Integer::valueOf, WHOLE_NUMBER))
        .start(parse("--start", start, Instant::parse, "an ISO-8601 instant like 2026-11-23T00:00:00Z"))
        .span(parse("--span", span, Duration::parse, "an ISO-8601 duration like PT24H or PT15M"))
        .output(parseLocation("--output", output))
        .format(format == null ? null : OutputFormat.parse(format))
        .gzip(gzip)
        .files(parse("--files", files, Integer::valueOf, WHOLE_NUMBER))
        .seed(parse("--seed", seed, Long::valueOf, WHOLE_NUMBER))
        .invalidRate(parse("--invalid-rate", invalidRate, Double::valueOf, RATE))
        .duplicateRate(parse("--duplicate-rate", duplicateRate, Double::valueOf, RATE))
        .lateRate(parse("--late-rate", lateRate, Double::valueOf, RATE))
        .overwrite(overwrite)
        .build();
  }

  /**
   * Config messages name an option twice, as component and flag: "invalidRate (--invalid-rate) must ...". On the
   * command line the flag alone reads better: "--invalid-rate must ...".
   */
  static String optionNamesOnly(String message) {
    return message == null ? "" : OPTION_NAMES.matcher(message).replaceAll("$1");
  }

  private static void printSummary(PrintWriter out, GeneratorConfig config, Manifest manifest) {
    Manifest.Totals totals = manifest.totals();
    String fileNames =
        manifest.files().size() <= 4
            ? manifest.files().stream().map(Manifest.FileEntry::name).collect(Collectors.joining(", "))
            : manifest.files().get(0).name() + " .. " + manifest.files().get(manifest.files().size() - 1).name();
    out.printf(Locale.ROOT,
        "Wrote %d file%s to %s: %s%n",
        manifest.files().size(), manifest.files().size() == 1 ? "" : "s", config.output(), fileNames);
    printTotals(out, config, manifest.config().schema(), totals);
    out.printf(Locale.ROOT, "  manifest    %s%n", config.manifestLocation());
  }

  private static void printTotals(PrintWriter out, GeneratorConfig config, String schema, Manifest.Totals totals) {
    out.printf(Locale.ROOT, "  schema      %s%n", schema);
    out.printf(Locale.ROOT, "  records     %,d%n", totals.records());
    out.printf(Locale.ROOT, "  valid       %,d (unique events, late ones included)%n", totals.validUnique());
    out.printf(Locale.ROOT, "  duplicates  %,d%s%n", totals.duplicates(),
        config.writtenDuplicateRate() != config.duplicateRate() ? ": " + Manifest.noDuplicatesNote(config) : "");
    out.printf(Locale.ROOT, "  late        %,d%n", totals.late());
    String reasons =
        totals.invalidByReason().entrySet().stream()
            .map(entry -> entry.getKey() + " " + entry.getValue())
            .collect(Collectors.joining(", "));
    out.printf(Locale.ROOT, "  invalid     %,d%s%n", totals.invalid(), reasons.isEmpty() ? "" : ": " + reasons);
  }

  /** Converts one option's text; a value {@code parser} rejects becomes one line naming the option. */
  private static <T> T parse(String option, String text, Function<String, T> parser, String expected) {
    try {
      return parser.apply(text.strip());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(option + ": expected " + expected + ", got '" + text + "'");
    }
  }

  private static String parseLocation(String option, String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(option + ": expected a folder, got an empty value");
    }
    return text.strip();
  }
}
