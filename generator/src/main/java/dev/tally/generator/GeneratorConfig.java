package dev.tally.generator;

import dev.tally.schema.EventSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What to generate and where. Build one with {@link #builder()} (every option has a default) or change one
 * option of an existing config with {@link #toBuilder()}. The constructor validates; messages name the option
 * both as the record component and as the command-line flag, e.g. {@code invalidRate (--invalid-rate)}.
 *
 * @param events records written, including invalid, duplicate and late ones (>= 0)
 * @param users distinct user ids to draw from (>= 1); by default the schema's {@code generator.users}
 * @param start the earliest event time of in-order events; at most millisecond precision
 * @param span event times of in-order events fall in [start, start + span); at least 1 ms
 * @param output the folder to write to: a local path or a Hadoop file system URI such as {@code hdfs://host:8020/dir}
 * @param schema the records' fields, roles, format and value distributions; its format is the output format
 * @param gzip whether to gzip the files (adds {@code .gz})
 * @param files how many files the records are split into, in contiguous chunks (>= 1)
 * @param seed the random seed: the same config writes the same bytes
 * @param invalidRate share of records with exactly one defect, in [0, 1]
 * @param duplicateRate share of records that copy an earlier valid record, in [0, 1]; none are written when the
 *     schema has no event id (see {@link #writtenDuplicateRate()})
 * @param lateRate share of records that are valid events arriving 1 to 3 hours late, in [0, 1]
 * @param overwrite whether to delete the events-* files and manifest an earlier run left in output
 */
public record GeneratorConfig(
    int events,
    int users,
    Instant start,
    Duration span,
    String output,
    EventSchema schema,
    boolean gzip,
    int files,
    long seed,
    double invalidRate,
    double duplicateRate,
    double lateRate,
    boolean overwrite) {

  public static final int DEFAULT_EVENTS = 30_000;
  public static final String DEFAULT_START = "2026-11-23T00:00:00Z";
  public static final String DEFAULT_SPAN = "PT24H";
  public static final String DEFAULT_OUTPUT_DIR = "data/events";
  public static final int DEFAULT_FILES = 1;
  public static final long DEFAULT_SEED = 42;
  public static final double DEFAULT_INVALID_RATE = 0.02;
  public static final double DEFAULT_DUPLICATE_RATE = 0.01;
  public static final double DEFAULT_LATE_RATE = 0.01;

  /** The manifest's name in the output folder. */
  public static final String MANIFEST_NAME = "_MANIFEST.json";
  /** Every data file's name starts with this. */
  public static final String FILE_PREFIX = "events-";

  // Timestamp fields and sinks hold four-digit years: keep event times inside them, after the epoch.
  private static final Instant EARLIEST_START = Instant.EPOCH;
  private static final Instant LATEST_END = Instant.parse("9999-12-31T23:59:59.999Z");
  // Rates like 0.7 + 0.2 + 0.1 add up to a hair above 1 in binary floating point.
  private static final double RATE_SUM_TOLERANCE = 1e-9;

  public GeneratorConfig {
    // First: the user count defaults to the schema's.
    if (schema == null) {
      throw new IllegalArgumentException("schema (--schema) must be set");
    }
    if (events < 0) {
      throw new IllegalArgumentException("events (--events) must be >= 0, got " + events);
    }
    if (users < 1) {
      throw new IllegalArgumentException("users (--users) must be >= 1, got " + users);
    }
    if (start == null) {
      throw new IllegalArgumentException("start (--start) must be set");
    }
    if (span == null) {
      throw new IllegalArgumentException("span (--span) must be set");
    }
    TargetFolder.of(output); // validates the location
    if (files < 1) {
      throw new IllegalArgumentException("files (--files) must be >= 1, got " + files);
    }
    if (start.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "start (--start) must have at most millisecond precision, got " + start);
    }
    if (start.isBefore(EARLIEST_START) || start.isAfter(LATEST_END)) {
      throw new IllegalArgumentException(
          "start (--start) must be between " + EARLIEST_START + " and " + LATEST_END + ", got " + start);
    }
    if (span.isNegative() || span.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("span (--span) must be at least 1 millisecond (PT0.001S), got " + span);
    }
    if (Duration.between(start, LATEST_END).compareTo(span) < 0) {
      throw new IllegalArgumentException(
          "span (--span) " + span + " from start " + start + " ends after " + LATEST_END);
    }
    checkRate("invalidRate", "--invalid-rate", invalidRate);
    checkRate("duplicateRate", "--duplicate-rate", duplicateRate);
    checkRate("lateRate", "--late-rate", lateRate);
    if (invalidRate + duplicateRate + lateRate > 1 + RATE_SUM_TOLERANCE) {
      throw new IllegalArgumentException(
          "invalidRate + duplicateRate + lateRate (--invalid-rate + --duplicate-rate + --late-rate) must be at"
              + " most 1, got " + invalidRate + " + " + duplicateRate + " + " + lateRate);
    }
  }

  private static void checkRate(String name, String option, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          name + " (" + option + ") must be between 0 and 1, got " + rate);
    }
  }

  /** The output encoding: the schema's format. */
  public OutputFormat format() {
    return OutputFormat.of(schema.format().type());
  }

  /**
   * The share of duplicates actually written: {@link #duplicateRate()}, or 0 when the schema has no event id. A
   * copy of a record without an id is not recognisable as a copy: the pipeline would rightly count it again.
   */
  public double writtenDuplicateRate() {
    return schema.hasEventId() ? duplicateRate : 0;
  }

  /** Every option at its default. */
  public static GeneratorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this config's values, to change some of them. The user count and format are kept as set
   * values: after {@code schema(other)}, call {@code users(null)} and {@code format(null)} to take other's.
   */
  public Builder toBuilder() {
    return new Builder()
        .events(events)
        .users(users)
        .start(start)
        .span(span)
        .output(output)
        .schema(schema)
        .format(format())
        .gzip(gzip)
        .files(files)
        .seed(seed)
        .invalidRate(invalidRate)
        .duplicateRate(duplicateRate)
        .lateRate(lateRate)
        .overwrite(overwrite);
  }

  /** The suffix of every data file: {@code .csv}, {@code .jsonl}, {@code .csv.gz} or {@code .jsonl.gz}. */
  public String fileSuffix() {
    return format().suffix() + (gzip ? ".gz" : "");
  }

  /** The name of data file {@code index} (0-based), e.g. {@code events-00000.csv}. */
  public String fileName(int index) {
    return String.format(Locale.ROOT, "%s%05d%s", FILE_PREFIX, index, fileSuffix());
  }

  /** The folder written to. */
  public TargetFolder target() {
    return TargetFolder.of(output);
  }

  /** Where data file {@code index} is written: a path or a URI, as record sources name it. */
  public String fileLocation(int index) {
    return target().locationOf(fileName(index));
  }

  /** Where the manifest is written: a path or a URI. */
  public String manifestLocation() {
    return target().locationOf(MANIFEST_NAME);
  }

  /**
   * The output folder when it is local.
   *
   * @throws IllegalStateException when it is on a Hadoop file system
   */
  public Path outputDir() {
    if (target() instanceof LocalFolder local) {
      return local.dir();
    }
    throw new IllegalStateException("not a local folder: " + output);
  }

  /** Where data file {@code index} is written, for a local output folder. */
  public Path filePath(int index) {
    return outputDir().resolve(fileName(index));
  }

  /** Where the manifest is written, for a local output folder. */
  public Path manifestPath() {
    return outputDir().resolve(MANIFEST_NAME);
  }

  /** Collects options; {@link #build()} validates them. */
  public static final class Builder {
    private int events = DEFAULT_EVENTS;
    private Integer users;
    private Instant start = Instant.parse(DEFAULT_START);
    private Duration span = Duration.parse(DEFAULT_SPAN);
    private String output = DEFAULT_OUTPUT_DIR;
    private EventSchema schema = EventSchema.defaultSchema();
    private OutputFormat format;
    private boolean gzip;
    private int files = DEFAULT_FILES;
    private long seed = DEFAULT_SEED;
    private double invalidRate = DEFAULT_INVALID_RATE;
    private double duplicateRate = DEFAULT_DUPLICATE_RATE;
    private double lateRate = DEFAULT_LATE_RATE;
    private boolean overwrite;

    private Builder() {}

    public Builder events(int events) {
      this.events = events;
      return this;
    }

    /** Distinct users; null (the default): the schema's {@code generator.users}. */
    public Builder users(Integer users) {
      this.users = users;
      return this;
    }

    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    public Builder span(Duration span) {
      this.span = span;
      return this;
    }

    /** A local output folder. */
    public Builder outputDir(Path outputDir) {
      this.output = outputDir == null ? null : outputDir.toString();
      return this;
    }

    /** A local path or a Hadoop file system URI such as {@code hdfs://127.0.0.1:8020/tally/events}. */
    public Builder output(String output) {
      this.output = output;
      return this;
    }

    /** The schema (default: {@link EventSchema#defaultSchema()}). */
    public Builder schema(EventSchema schema) {
      this.schema = schema;
      return this;
    }

    /** CSV or JSON Lines, overriding the schema's encoding (its CSV options are kept); null: the schema's. */
    public Builder format(OutputFormat format) {
      this.format = format;
      return this;
    }

    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    public Builder files(int files) {
      this.files = files;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder invalidRate(double invalidRate) {
      this.invalidRate = invalidRate;
      return this;
    }

    public Builder duplicateRate(double duplicateRate) {
      this.duplicateRate = duplicateRate;
      return this;
    }

    public Builder lateRate(double lateRate) {
      this.lateRate = lateRate;
      return this;
    }

    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid option */
    public GeneratorConfig build() {
      EventSchema effective = schema == null || format == null ? schema : schema.withFormat(format.inputFormat());
      int userCount = users != null ? users : schema != null ? schema.generator().users() : 0;
      return new GeneratorConfig(
          events, userCount, start, span, output, effective, gzip, files, seed, invalidRate, duplicateRate,
          lateRate, overwrite);
    }
  }
}
