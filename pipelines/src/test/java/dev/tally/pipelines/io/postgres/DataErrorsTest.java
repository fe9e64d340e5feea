package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which failures are the row's fault (stored row by row, refused rows dead-lettered) and which are retried. */
class DataErrorsTest {
  @ParameterizedTest
  @ValueSource(strings = {"22001", "22003", "22021", "22P05", "22007", "23502", "23503", "23505", "23514"})
  void dataExceptionsAndIntegrityViolationsAreTheRowsFault(String state) {
    assertTrue(DataErrors.isDataError(new SQLException("refused", state)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08001", "40001", "40P01", "57P01", "53100", "53300", "42P01", "XX000"})
  void connectionConcurrencyAndServerFailuresAreRetried(String state) {
    assertFalse(DataErrors.isDataError(new SQLException("failed", state)));
  }

  @Test
  void aFailureWithoutStateIsRetried() {
    assertFalse(DataErrors.isDataError(new SQLException("no state")));
  }

  /** A JDBC batch error may carry the server's error only as its next exception. */
  @Test
  void aBatchErrorIsJudgedByTheErrorItCarries() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... was aborted", null, new int[0]);
    batch.setNextException(new SQLException("value too long for type character varying(16)", "22001"));
    assertTrue(DataErrors.isDataError(batch));
    assertEquals(
        "Batch entry 0 INSERT ... was aborted", DataErrors.message(batch));
  }
}
