package dev.tally.pipelines;

import dev.tally.model.DeadLetter;
import dev.tally.model.InputFormat;
import dev.tally.schema.EventSchema;
import dev.tally.schema.SchemaException;
import dev.tally.model.RawRecord;
import dev.tally.pipelines.io.CountRecords;
import dev.tally.pipelines.io.DefaultHdfsConfiguration;
import dev.tally.pipelines.io.EventRecords;
import dev.tally.pipelines.io.HdfsFailure;
import dev.tally.pipelines.io.ReadRecordsFromFiles;
import dev.tally.pipelines.io.UnreadableInputFile;
import dev.tally.pipelines.io.WriteDeadLetters;
import dev.tally.pipelines.io.WriteParquet;
import dev.tally.pipelines.io.postgres.PipelineRuns;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.io.postgres.WriteCountsToPostgres;
import dev.tally.pipelines.io.postgres.WriteDeadLettersToPostgres;
import dev.tally.pipelines.io.postgres.WriteEventsToPostgres;
import dev.tally.pipelines.options.BatchPipelineOptions;
import dev.tally.pipelines.options.EventFormatOptions;
import dev.tally.pipelines.options.Durations;
import dev.tally.pipelines.options.PipelineFlags;
import dev.tally.pipelines.report.OutputFolderSource;
import dev.tally.pipelines.report.Report;
import dev.tally.transforms.ProcessEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Duration;

/**
 * Batch path: CSV or JSON Lines files -> {@link ProcessEvents} -> {@code counts/} and {@code events/} as
 * Parquet, {@code dead-letters/} as JSON Lines, and {@code _SUMMARY.json}; with {@code --jdbcUrl}, also the
 * PostgreSQL tables {@code user_event_counts}, {@code user_events}, {@code dead_letters} and a
 * {@code pipeline_runs} row. Runs unchanged on any Beam runner.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  /**
   * Adds the batch path to {@code pipeline}; tests call this with a TestPipeline. With {@code --jdbcUrl} it
   * adds the PostgreSQL writes, the password resolved from {@code --jdbcPasswordFile} or
   * {@code TALLY_JDBC_PASSWORD}; the tables must exist (see {@link PostgresSchema}).
   */
  public static ProcessEvents.Result buildPipeline(Pipeline pipeline, BatchPipelineOptions options) {
    return buildPipeline(pipeline, options, PostgresTarget.fromOptions(options).orElse(null));
  }

  /**
   * Adds the batch path to {@code pipeline}, writing to {@code postgres} too unless it is null. The tables must
   * exist: {@link #run} applies {@link PostgresSchema} first.
   */
  public static ProcessEvents.Result buildPipeline(
      Pipeline pipeline, BatchPipelineOptions options, PostgresTarget postgres) {
    EventSchema schema = schema(options);
    Duration windowSize = Durations.parse("windowSize", options.getWindowSize());
    Duration windowPeriod = Durations.parse("windowPeriod", options.getWindowPeriod());
    Duration allowedLateness = Durations.parse("allowedLateness", options.getAllowedLateness());
    String output = withoutTrailingSlash(options.getOutput());

    PCollection<RawRecord> records =
        pipeline.apply("ReadRecords", new ReadRecordsFromFiles(options.getInput(), schema));
    ProcessEvents.Result result;
    try {
      result =
          records.apply(
              "ProcessEvents",
              new ProcessEvents(schema, options.getMaxRecordBytes(), windowSize, windowPeriod, allowedLateness));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    result.counts().apply("WriteCounts", new WriteParquet<>(output + "/counts", "counts", CountRecords.SCHEMA, CountRecords::toRecord));
    result
        .validEvents()
        .apply(
            "WriteEvents",
            new WriteParquet<>(
                output + "/events", "events", EventRecords.avroSchema(schema), EventRecords.toRecord(schema)));
    PCollection<DeadLetter> deadLetters = result.deadLetters();
    if (postgres != null) {
      int batchSize = jdbcBatchSize(options);
      result.counts().apply("WriteCountsToPostgres", new WriteCountsToPostgres(postgres, batchSize));
      PCollection<DeadLetter> rejected =
          result.validEvents().apply("WriteEventsToPostgres", new WriteEventsToPostgres(postgres, schema, batchSize));
      // Events PostgreSQL refused are dead letters like the others: in both dead-letter outputs.
      deadLetters =
          PCollectionList.of(deadLetters).and(rejected).apply("AddRejectedEvents", Flatten.pCollections());
      deadLetters.apply(
          "WriteDeadLettersToPostgres", new WriteDeadLettersToPostgres(postgres, batchSize, runId(options)));
    }
    deadLetters.apply("WriteDeadLetters", new WriteDeadLetters(output + "/dead-letters"));
    return result;
  }

  /**
   * Checks what can be checked before starting (inputs, output folder, PostgreSQL login and tables), builds,
   * runs to completion and writes the summary; with {@code --jdbcUrl}, also the run's {@code pipeline_runs} row.
   */
  public static RunSummary run(BatchPipelineOptions options) throws IOException {
    // The schema first: a bad schema file is reported before anything is touched.
    EventSchema schema = schema(options);
    DefaultHdfsConfiguration.applyTo(options, options.getInput(), options.getOutput());
    FileSystems.setDefaultPipelineOptions(options);
    checkInputExists(options.getInput(), options.getMaxInputFiles());
    String output = withoutTrailingSlash(options.getOutput());
    checkOutputIsFree(output);
    String runId = runId(options);
    PostgresTarget postgres = PostgresTarget.fromOptions(options).orElse(null);
    if (postgres != null) {
      PostgresSchema.apply(postgres, schema);
    }

    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options, postgres);
    String runner = options.getRunner().getSimpleName();
    Instant startedAt = Instant.now();
    PipelineRuns runs = postgres == null ? null : new PipelineRuns(postgres, runId);
    if (runs != null) {
      runs.started(runner, options.getInput(), options.getOutput(), startedAt);
    }
    RunSummary summary;
    try {
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        // No summary for a partial run: its counters would not satisfy read = valid + duplicates + dead letters.
        throw new IllegalStateException(
            "the pipeline ended " + state + ", not DONE; outputs in " + output + " are incomplete");
      }
      summary =
          RunSummary.of(
              runId,
              options.getInput(),
              options.getOutput(),
              runner,
              postgres == null ? null : postgres.url(),
              result.metrics(),
              startedAt,
              Instant.now());
      summary.writeTo(output);
    } catch (IOException | RuntimeException e) {
      // The runner wraps a file that broke off part-way, or HDFS failing mid-job, in its own exceptions: one line.
      UnreadableInputFile unreadable = UnreadableInputFile.findIn(e);
      String hdfsFailure = unreadable == null ? HdfsFailure.messageFor(e, output) : null;
      Exception failure =
          unreadable != null
              ? new UserError(unreadable.getMessage(), e)
              : hdfsFailure != null ? new UserError(hdfsFailure, e) : e;
      if (runs != null) {
        try {
          runs.failed(Instant.now(), failure);
        } catch (RuntimeException notRecorded) {
          failure.addSuppressed(notRecorded);
        }
      }
      if (failure instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) failure;
    }
    if (runs != null) {
      runs.done(summary);
    }
    if (options.getReport() != null) {
      Report.write(OutputFolderSource.read(output), Path.of(options.getReport()));
    }
    return summary;
  }

  public static void main(String[] args) throws IOException {
    try {
      BatchPipelineOptions options = parseOptions(args);
      RunSummary summary = run(options);
      System.out.print(summary.describe());
      System.out.println("Outputs in " + options.getOutput() + " (counts/, events/, dead-letters/, _SUMMARY.json)");
      if (summary.postgresUrl() != null) {
        System.out.println(
            "PostgreSQL at " + summary.postgresUrl() + ": user_event_counts, user_events and dead_letters written; "
                + "this run is " + summary.runId() + " in pipeline_runs");
      }
      if (options.getReport() != null) {
        System.out.println("Report: " + Report.htmlFile(Path.of(options.getReport())));
      }
    } catch (UserError e) {
      System.err.println("tally batch: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Parses Beam flags; an unknown or malformed flag becomes a {@link UserError}. */
  public static BatchPipelineOptions parseOptions(String... args) {
    return PipelineFlags.parse(BatchPipelineOptions.class, "BatchPipeline", args);
  }


  private static int jdbcBatchSize(BatchPipelineOptions options) {
    int batchSize = options.getJdbcBatchSize();
    if (batchSize < 1) {
      throw new UserError("--jdbcBatchSize must be at least 1, got " + batchSize);
    }
    return batchSize;
  }

  private static String runId(BatchPipelineOptions options) {
    String runId = options.getRunId();
    if (runId == null || runId.isBlank()) {
      throw new UserError("--runId is empty: leave it unset for a new random id, or give one");
    }
    return runId;
  }

  /** The event schema {@code --schema} names, in the encoding {@code --format} asks for, if any. */
  public static EventSchema schema(EventFormatOptions options) {
    EventSchema schema;
    try {
      schema = EventSchema.load(options.getSchema());
    } catch (SchemaException e) {
      throw new UserError("--schema: " + e.getMessage(), e);
    }
    String format = options.getFormat();
    if (format == null || format.isBlank()) {
      return schema;
    }
    try {
      return schema.withFormat(InputFormat.parse(format));
    } catch (IllegalArgumentException e) {
      throw new UserError("--format: " + e.getMessage(), e);
    }
  }

  private static void checkInputExists(String input, int maxInputFiles) {
    if (maxInputFiles < 1) {
      throw new UserError("--maxInputFiles must be at least 1, got " + maxInputFiles);
    }
    MatchResult match;
    try {
      match = FileSystems.match(List.of(input), EmptyMatchTreatment.DISALLOW).get(0);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot read --input=" + input + ": " + e.getMessage(), e);
    }
    List<MatchResult.Metadata> files;
    try {
      files = match.metadata();
    } catch (IOException e) {
      if (match.status() == MatchResult.Status.ERROR) {
        // Not "no such file": the file system itself failed, e.g. no NameNode listening.
        throw new UserError(
            "cannot read --input=" + input + ": " + rootCause(e).getMessage()
                + (input.startsWith("hdfs://")
                    ? " (is HDFS running? ./tally stack up hdfs; else check HADOOP_CONF_DIR or --hdfsConfiguration)"
                    : ""),
            e);
      }
      throw new UserError(
          "no input file matches --input=" + input + ": check the path, or use a glob like data/events/*.csv", e);
    }
    long dataFiles = files.stream().filter(file -> !ReadRecordsFromFiles.isHidden(file.resourceId())).count();
    if (dataFiles == 0) {
      throw new UserError(
          "--input=" + input + " matches only files named _* or .*, which are skipped as not input: "
              + "point it at the data files");
    }
    if (dataFiles > maxInputFiles) {
      throw new UserError(
          "--input=" + input + " matches " + dataFiles + " files, more than --maxInputFiles=" + maxInputFiles
              + ": narrow the glob, split the input into several runs, or raise --maxInputFiles");
    }
  }

  private static void checkOutputIsFree(String output) {
    try {
      MatchResult match =
          FileSystems.match(List.of(output + "/*"), EmptyMatchTreatment.ALLOW).get(0);
      if (match.status() == MatchResult.Status.OK && !match.metadata().isEmpty()) {
        throw new UserError(
            "--output=" + output + " already holds files (" + match.metadata().get(0).resourceId()
                + "): choose a new folder or delete it, so results of two runs never mix");
      }
    } catch (IOException e) {
      throw new UserError("cannot check --output=" + output + ": " + e.getMessage(), e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
