package dev.tally.pipelines.io.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A run's row in {@code pipeline_runs}, written by the driver with plain JDBC: RUNNING just before the pipeline
 * starts, then DONE with the run's counters or FAILED with a message. Each call opens its own short connection,
 * as a run may last longer than an idle connection survives.
 */
public final class PipelineRuns {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String INSERT_RUNNING =
      """
      INSERT INTO pipeline_runs (run_id, runner, input, output, started_at, status)
      VALUES (?, ?, ?, ?, ?, ?)""";
  private static final String UPDATE_DONE =
      """
      UPDATE pipeline_runs
      SET status = ?, finished_at = ?, read = ?, valid = ?, duplicates = ?, dead_letters = ?,
          dead_letters_by_reason = CAST(? AS jsonb), count_rows = ?, message = NULL
      WHERE run_id = ?""";
  private static final String UPDATE_FAILED =
      """
      UPDATE pipeline_runs
      SET status = ?, finished_at = ?, message = ?
      WHERE run_id = ?""";

  private final PostgresTarget target;
  private final String runId;

  public PipelineRuns(PostgresTarget target, String runId) {
    this.target = target;
    this.runId = PostgresValues.text(runId);
  }

  /**
   * Records the run as RUNNING.
   *
   * @throws UserError if PostgreSQL is unreachable or the run id was used before
   */
  public void started(String runner, String input, String output, Instant startedAt) {
    try (Connection connection = target.connect();
        PreparedStatement insert = connection.prepareStatement(INSERT_RUNNING)) {
      insert.setString(1, runId);
      insert.setString(2, PostgresValues.text(runner));
      insert.setString(3, PostgresValues.text(input));
      insert.setString(4, PostgresValues.text(output));
      insert.setObject(5, PostgresValues.timestamp(startedAt));
      insert.setString(6, "RUNNING");
      insert.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new UserError(
            "--runId=" + runId + " is already in pipeline_runs: leave --runId unset for a new random id, or "
                + "choose another",
            e);
      }
      throw new IllegalStateException("cannot record run " + runId + " in pipeline_runs: " + target.describe(e), e);
    }
  }

  /** Records the run as DONE with the summary's counters. */
  public void done(RunSummary summary) {
    String byReason;
    try {
      byReason = JSON.writeValueAsString(summary.deadLettersByReason());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a map of strings to numbers always serialises", e);
    }
    try (Connection connection = target.connect();
        PreparedStatement update = connection.prepareStatement(UPDATE_DONE)) {
      update.setString(1, "DONE");
      update.setObject(2, PostgresValues.timestamp(summary.finishedAt()));
      update.setLong(3, summary.read());
      update.setLong(4, summary.valid());
      update.setLong(5, summary.duplicates());
      update.setLong(6, summary.deadLetters());
      update.setString(7, byReason);
      update.setLong(8, summary.countRows());
      update.setString(9, runId);
      checkOneRow(update.executeUpdate());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record run " + runId + " as DONE: " + target.describe(e), e);
    }
  }

  /** Records the run as FAILED, with {@code failure}'s message (the password hidden, should it occur). */
  public void failed(Instant finishedAt, Throwable failure) {
    try (Connection connection = target.connect();
        PreparedStatement update = connection.prepareStatement(UPDATE_FAILED)) {
      update.setString(1, "FAILED");
      update.setObject(2, PostgresValues.timestamp(finishedAt));
      update.setString(3, PostgresValues.text(target.describe(failure)));
      update.setString(4, runId);
      checkOneRow(update.executeUpdate());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record run " + runId + " as FAILED: " + target.describe(e), e);
    }
  }

  private void checkOneRow(int updated) {
    if (updated != 1) {
      throw new IllegalStateException(
          "pipeline_runs has " + updated + " rows for run " + runId + ", expected the one written at its start");
    }
  }
}
