package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import dev.tally.transforms.TallyMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;

/**
 * The streaming path's dead-letter sink: {@code dead_letters} rows keyed by
 * {@link WriteDeadLettersToPostgres#deadLetterId}, so a replayed record is stored once; one transaction per batch,
 * in key order. Its output stays empty: see {@link #rejected}.
 */
public final class StoreDeadLetters extends TransactionalSink<DeadLetter> {
  private final String runId;
  private final Counter deadLetters = TallyMetrics.counter(TallyMetrics.DEAD_LETTERS);
  private transient int lastInserted;

  public StoreDeadLetters(PostgresTarget target, int batchSize, String runId) {
    super(target, batchSize);
    this.runId = runId;
  }

  @Override
  protected void store(Connection connection, List<DeadLetter> elements) throws SQLException {
    List<DeadLetter> letters = new ArrayList<>(elements);
    letters.sort(Comparator.comparing(letter -> WriteDeadLettersToPostgres.deadLetterId(letter.source(), letter.raw())));
    int insertedRows = 0;
    try (PreparedStatement insert = connection.prepareStatement(WriteDeadLettersToPostgres.INSERT)) {
      for (DeadLetter letter : letters) {
        WriteDeadLettersToPostgres.setParameters(letter, runId, insert);
        insert.addBatch();
      }
      for (int rows : insert.executeBatch()) {
        insertedRows += Math.max(rows, 0);
      }
    }
    lastInserted = insertedRows;
  }

  @Override
  protected void committed(List<DeadLetter> elements) {
    deadLetters.inc(lastInserted);
  }

  /**
   * Tally's dead_letters columns take any dead letter; one refused means the table was changed (a constraint
   * added). There is nowhere further to put it, so the bundle fails, naming the record, rather than drop it.
   */
  @Override
  protected DeadLetter rejected(DeadLetter letter, String databaseMessage) {
    throw new IllegalStateException(
        "PostgreSQL refused to store the dead letter of " + letter.source() + " in dead_letters: " + databaseMessage
            + "; restore the dead_letters table as deploy/sql creates it (drop the constraint that refuses it)");
  }

  @Override
  protected String source(DeadLetter letter) {
    return letter.source();
  }
}
