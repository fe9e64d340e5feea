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
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The streaming path's dead-letter sink: {@code dead_letters} rows keyed by
 * {@link WriteDeadLettersToPostgres#deadLetterId}, so a replayed record is stored once; one transaction per batch,
 * in key order.
 */
public final class StoreDeadLetters extends DoFn<DeadLetter, Void> implements TransactionalBatches.Store<DeadLetter> {
  private final String runId;
  private final Counter deadLetters = TallyMetrics.counter(TallyMetrics.DEAD_LETTERS);
  private final PostgresTarget target;
  private final int batchSize;
  private transient int lastInserted;
  private transient TransactionalBatches<DeadLetter> batches;

  public StoreDeadLetters(PostgresTarget target, int batchSize, String runId) {
    this.target = target;
    this.batchSize = batchSize;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    batches = new TransactionalBatches<>(target, batchSize, this);
  }

  @StartBundle
  public void startBundle() {
    batches.startBundle();
  }

  @ProcessElement
  public void processElement(@Element DeadLetter element) throws InterruptedException {
    batches.add(element);
  }

  @FinishBundle
  public void finishBundle() throws InterruptedException {
    batches.flush();
  }

  @Teardown
  public void teardown() {
    if (batches != null) {
      batches.closeConnection();
    }
  }

  @Override
  public void store(Connection connection, List<DeadLetter> elements) throws SQLException {
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
  public void committed(List<DeadLetter> elements) {
    deadLetters.inc(lastInserted);
  }
}
