package dev.tally.pipelines;

import dev.tally.model.InputFormat;
import dev.tally.model.RawRecord;
import dev.tally.pipelines.io.CountRecords;
import dev.tally.pipelines.io.DefaultHdfsConfiguration;
import dev.tally.pipelines.io.EventRecords;
import dev.tally.pipelines.io.ReadRecordsFromFiles;
import dev.tally.pipelines.io.WriteDeadLetters;
import dev.tally.pipelines.io.WriteParquet;
import dev.tally.pipelines.options.BatchPipelineOptions;
import dev.tally.pipelines.options.Durations;
import dev.tally.transforms.ProcessEvents;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Batch path: CSV or JSON Lines files -> {@link ProcessEvents} -> {@code counts/} and {@code events/} as
 * Parquet, {@code dead-letters/} as JSON Lines, and {@code _SUMMARY.json}. Runs unchanged on any Beam runner.
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  /** Adds the batch path to {@code pipeline}; tests call this with a TestPipeline. */
  public static ProcessEvents.Result buildPipeline(Pipeline pipeline, BatchPipelineOptions options) {
    InputFormat format = parseFormat(options.getFormat());
    Duration windowSize = Durations.parse("windowSize", options.getWindowSize());
    Duration windowPeriod = Durations.parse("windowPeriod", options.getWindowPeriod());
    Duration allowedLateness = Durations.parse("allowedLateness", options.getAllowedLateness());
    String output = withoutTrailingSlash(options.getOutput());

    PCollection<RawRecord> records =
        pipeline.apply("ReadRecords", new ReadRecordsFromFiles(options.getInput(), format));
    ProcessEvents.Result result;
    try {
      result =
          records.apply(
              "ProcessEvents",
              new ProcessEvents(format, options.getMaxRecordBytes(), windowSize, windowPeriod, allowedLateness));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    result.counts().apply("WriteCounts", new WriteParquet<>(output + "/counts", "counts", CountRecords.SCHEMA, CountRecords::toRecord));
    result.validEvents().apply("WriteEvents", new WriteParquet<>(output + "/events", "events", EventRecords.SCHEMA, EventRecords::toRecord));
    result.deadLetters().apply("WriteDeadLetters", new WriteDeadLetters(output + "/dead-letters"));
    return result;
  }

  /** Checks what can be checked before starting, builds, runs to completion and writes the summary. */
  public static RunSummary run(BatchPipelineOptions options) throws IOException {
    DefaultHdfsConfiguration.applyTo(options, options.getInput(), options.getOutput());
    FileSystems.setDefaultPipelineOptions(options);
    checkInputExists(options.getInput());
    String output = withoutTrailingSlash(options.getOutput());
    checkOutputIsFree(output);

    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    Instant startedAt = Instant.now();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      // No summary for a partial run: its counters would not satisfy read = valid + duplicates + dead letters.
      throw new IllegalStateException("the pipeline ended " + state + ", not DONE; outputs in " + output + " are incomplete");
    }
    RunSummary summary =
        RunSummary.of(
            options.getInput(),
            options.getOutput(),
            options.getRunner().getSimpleName(),
            result.metrics(),
            startedAt,
            Instant.now());
    summary.writeTo(output);
    return summary;
  }

  public static void main(String[] args) throws IOException {
    try {
      BatchPipelineOptions options = parseOptions(args);
      RunSummary summary = run(options);
      System.out.print(summary.describe());
      System.out.println("Outputs in " + options.getOutput() + " (counts/, events/, dead-letters/, _SUMMARY.json)");
    } catch (UserError e) {
      System.err.println("tally batch: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Parses Beam flags; an unknown or malformed flag becomes a {@link UserError}. */
  public static BatchPipelineOptions parseOptions(String... args) {
    PipelineOptionsFactory.register(BatchPipelineOptions.class);
    // Plain --help would only list option interfaces; show this pipeline's options instead.
    String[] flags =
        Arrays.stream(args)
            .map(arg -> arg.equals("--help") ? "--help=" + BatchPipelineOptions.class.getName() : arg)
            .toArray(String[]::new);
    try {
      return PipelineOptionsFactory.fromArgs(flags).withValidation().as(BatchPipelineOptions.class);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage() + " (see --help=" + BatchPipelineOptions.class.getName() + ")", e);
    }
  }

  private static InputFormat parseFormat(String format) {
    try {
      return InputFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new UserError("--format: " + e.getMessage(), e);
    }
  }

  private static void checkInputExists(String input) {
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
      throw new UserError(
          "no input file matches --input=" + input + ": check the path, or use a glob like data/events/*.csv", e);
    }
    if (files.stream().allMatch(file -> ReadRecordsFromFiles.isHidden(file.resourceId()))) {
      throw new UserError(
          "--input=" + input + " matches only files named _* or .*, which are skipped as not input: "
              + "point it at the data files");
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

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
