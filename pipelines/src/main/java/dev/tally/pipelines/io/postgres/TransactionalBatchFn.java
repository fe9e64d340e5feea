package dev.tally.pipelines.io.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink that collects the elements of a bundle and stores each batch of them in ONE PostgreSQL transaction,
 * committed at the latest in {@code @FinishBundle}: the bundle only succeeds once its rows are durable. A failed
 * transaction is rolled back and retried with backoff (PostgreSQL restarting, a deadlock victim); after the last
 * attempt the bundle fails and the runner retries it. Subclasses must make storing the same element twice a no-op,
 * since runners replay bundles. Not JdbcIO.write: on unbounded input it batches with GroupIntoBatches, which the
 * Spark runner's streaming mode refuses.
 */
abstract class TransactionalBatchFn<T> extends DoFn<T, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalBatchFn.class);
  private static final int ATTEMPTS = 8;
  private static final long FIRST_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final PostgresTarget target;
  private final int batchSize;
  private transient List<T> batch;
  private transient Connection connection;

  TransactionalBatchFn(PostgresTarget target, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.target = target;
    this.batchSize = batchSize;
  }

  /**
   * Stores {@code elements} on {@code connection}, inside a transaction the caller commits; must not commit.
   * Called again with the same elements after a rollback, so it must not keep state of its own until it returns.
   */
  abstract void store(Connection connection, List<T> elements) throws SQLException;

  /** Called once the transaction of {@code elements} committed: for metrics. */
  void committed(List<T> elements) {}

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
  }

  @ProcessElement
  public void processElement(@Element T element) throws InterruptedException {
    batch.add(element);
    if (batch.size() >= batchSize) {
      flush();
    }
  }

  @FinishBundle
  public void finishBundle() throws InterruptedException {
    flush();
  }

  @Teardown
  public void teardown() {
    closeConnection();
  }

  private void flush() throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; ; attempt++) {
      try {
        storeInOneTransaction(batch);
        committed(batch);
        batch = new ArrayList<>();
        return;
      } catch (SQLException e) {
        closeConnection();
        String problem = target.describe(e);
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "PostgreSQL at " + target.url() + " failed " + ATTEMPTS + " times in a row: " + problem);
        }
        LOG.warn("PostgreSQL transaction failed (attempt {} of {}), retrying in {} ms: {}",
            attempt, ATTEMPTS, backoff, problem);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void storeInOneTransaction(List<T> elements) throws SQLException {
    if (connection == null) {
      connection = target.dataSourceWithRowCounts().getConnection();
      connection.setAutoCommit(false);
    }
    try {
      store(connection, elements);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Broken already: a new one is opened on the next attempt.
      }
      connection = null;
    }
  }
}
