package dev.tally.pipelines.report;

import dev.tally.pipelines.RunSummary;
import java.time.Instant;

/**
 * One batch run as a report lists it: from a folder's {@code _SUMMARY.json} or a {@code pipeline_runs} row. The
 * counters are null for a run that did not finish (RUNNING or FAILED in {@code pipeline_runs}).
 */
public record RunRecord(
    String runId,
    String status,
    String runner,
    String input,
    String output,
    Instant startedAt,
    Instant finishedAt,
    Long read,
    Long valid,
    Long duplicates,
    Long deadLetters,
    Long countRows,
    String message) {

  /** A complete run, from its summary. */
  public static RunRecord of(RunSummary summary) {
    return new RunRecord(
        summary.runId(),
        "DONE",
        summary.runner(),
        summary.input(),
        summary.output(),
        summary.startedAt(),
        summary.finishedAt(),
        summary.read(),
        summary.valid(),
        summary.duplicates(),
        summary.deadLetters(),
        summary.countRows(),
        null);
  }
}
