package dev.tally.pipelines.io.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batching of a sink DoFn: it collects the elements of a bundle and stores each batch of them in ONE
 * PostgreSQL transaction, flushed at the latest in the DoFn's {@code @FinishBundle}, so the bundle only succeeds
 * once its rows are durable. A failed
 * transaction is rolled back and retried as its {@link RetryPolicy} says (PostgreSQL restarting, a deadlock victim);
 * once that policy's time is spent the bundle fails. A batch PostgreSQL refuses as data ({@link DataErrors}) is
 * rolled back and stored row by row instead ({@link #storeRowByRow}): the good rows land, each refused row goes to
 * {@link Store#rejected}. The {@link Store} must make storing the same element twice a no-op,
 * since runners replay bundles. (The batching alone: {@link TransactionalSink} is the DoFn around it.) Not
 * JdbcIO.write: on unbounded input it batches with GroupIntoBatches, which the
 * Spark runner's streaming mode refuses.
 */
final class TransactionalBatches<T> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalBatches.class);

  /** What a sink does with one batch. */
  interface Store<T> {
    /**
     * Stores {@code elements} on {@code connection}, inside a transaction the caller commits; must not commit.
     * Called again with the same elements after a rollback.
     */
    void store(Connection connection, List<T> elements) throws SQLException;

    /** Called once the transaction of {@code elements} committed: for metrics. */
    default void committed(List<T> elements) {}

    /**
     * Called for an element PostgreSQL refused on its own as data, after its transaction was rolled back; the
     * sink must keep it (as a dead letter), never drop it. {@code databaseMessage} is the server's message.
     */
    void rejected(T element, String databaseMessage);
  }

  private final PostgresTarget target;
  private final DataSource dataSource;
  private final int batchSize;
  private final Store<T> store;
  private final RetryPolicy retry;
  private List<T> batch = new ArrayList<>();
  private Connection connection;

  TransactionalBatches(PostgresTarget target, int batchSize, Store<T> store, RetryPolicy retry) {
    this(target, target.dataSourceWithRowCounts(), batchSize, store, retry);
  }

  /** With connections from {@code dataSource}, e.g. one rewriting batches when row counts do not matter. */
  TransactionalBatches(
      PostgresTarget target, DataSource dataSource, int batchSize, Store<T> store, RetryPolicy retry) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.target = target;
    this.dataSource = dataSource;
    this.batchSize = batchSize;
    this.store = store;
    this.retry = retry;
  }

  /** Forgets elements a failed bundle left behind: the runner retries that bundle as a whole. */
  void startBundle() {
    batch = new ArrayList<>();
  }

  void add(T element) throws InterruptedException {
    batch.add(element);
    if (batch.size() >= batchSize) {
      flush();
    }
  }

  /** Stores what is batched, in one transaction, retrying as {@link #retry} says. */
  void flush() throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    RetryPolicy.Retries retries = null;
    while (true) {
      try {
        storeInOneTransaction(batch);
        store.committed(batch);
        batch = new ArrayList<>();
        return;
      } catch (SQLException e) {
        SQLException failure = e;
        if (DataErrors.isDataError(e)) {
          try {
            storeRowByRow();
            batch = new ArrayList<>();
            return;
          } catch (SQLException notData) {
            failure = notData;
          }
        }
        closeConnection();
        retries = retries == null ? retry.afterFirstFailure() : retries;
        retryOrFail(retries, target.describe(failure));
      }
    }
  }

  /**
   * Stores each element of the batch in its own transaction; an element refused as data goes to
   * {@link Store#rejected}. Each element leaves the batch once committed or rejected, so after any other failure
   * (thrown) the retry resumes with the rest and nothing is stored or counted twice.
   */
  private void storeRowByRow() throws SQLException {
    for (Iterator<T> elements = batch.iterator(); elements.hasNext(); ) {
      List<T> one = List.of(elements.next());
      try {
        storeInOneTransaction(one);
        store.committed(one);
      } catch (SQLException e) {
        if (!DataErrors.isDataError(e)) {
          throw e;
        }
        String message = target.hidePassword(DataErrors.message(e));
        LOG.warn("PostgreSQL refused a row as data, which goes to the dead letters: {}", message);
        store.rejected(one.get(0), message);
      }
      elements.remove();
    }
  }

  /** Waits before the next attempt, with one WARN line (no stack trace: the message says it all). */
  private void retryOrFail(RetryPolicy.Retries retries, String problem) throws InterruptedException {
    int failed = retries.failures();
    long seconds = retries.elapsed().toSeconds();
    Optional<Duration> wait = retries.nextWait();
    if (wait.isEmpty()) {
      throw new IllegalStateException(
          "PostgreSQL at " + target.url() + " failed " + failed + " times in " + seconds + " s, longer than"
              + " --jdbcRetryTime=" + retry.budget() + ": " + problem);
    }
    LOG.warn("PostgreSQL transaction failed (attempt {}, {} s after the first failure; retrying for up to {}),"
            + " next attempt in {} ms: {}",
        failed, seconds, retry.budget(), wait.get().toMillis(), problem);
    Thread.sleep(wait.get().toMillis());
  }

  private void storeInOneTransaction(List<T> elements) throws SQLException {
    if (connection == null) {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
    }
    try {
      store.store(connection, elements);
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

  void closeConnection() {
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
