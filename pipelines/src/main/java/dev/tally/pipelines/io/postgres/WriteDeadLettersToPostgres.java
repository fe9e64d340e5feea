package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Inserts dead letters into {@code dead_letters}, keyed by {@link #deadLetterId}: the same line of the same file
 * is stored once however often it is read, with the failed_at and run_id of the run that stored it first.
 */
public class WriteDeadLettersToPostgres extends PTransform<PCollection<DeadLetter>, PDone> {
  static final String INSERT =
      """
      INSERT INTO dead_letters (dead_letter_id, raw, source, stage, reason, message, failed_at, run_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (dead_letter_id) DO NOTHING""";

  private final PostgresTarget target;
  private final int batchSize;
  private final String runId;

  public WriteDeadLettersToPostgres(PostgresTarget target, int batchSize, String runId) {
    this.target = target;
    this.batchSize = batchSize;
    this.runId = runId;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    String run = runId;
    return deadLetters.apply(
        "InsertDeadLetters",
        target.<DeadLetter>write(INSERT, (letter, statement) -> setParameters(letter, run, statement), batchSize));
  }

  /**
   * The primary key: SHA-256 (lower-case hex) of {@code source + "\n" + raw}, of the text as read, before
   * {@link PostgresValues#text} replaces any NUL characters for storage.
   */
  public static String deadLetterId(String source, String raw) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest((source + "\n" + raw).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static void setParameters(DeadLetter letter, String runId, PreparedStatement statement)
      throws SQLException {
    statement.setString(1, deadLetterId(letter.source(), letter.raw()));
    statement.setString(2, PostgresValues.text(letter.raw()));
    statement.setString(3, PostgresValues.text(letter.source()));
    statement.setString(4, letter.stage().code());
    statement.setString(5, letter.reason().code());
    statement.setString(6, PostgresValues.text(letter.message()));
    statement.setObject(7, PostgresValues.timestamp(letter.failedAt()));
    statement.setString(8, PostgresValues.text(runId));
  }
}
