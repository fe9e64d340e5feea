package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * A sink DoFn that stores its input in PostgreSQL through {@link TransactionalBatches}: one connection per DoFn
 * instance, batches of at most {@code batchSize} elements of one bundle, each committed in one transaction, the
 * last one when the bundle finishes. Subclasses say how a batch is stored.
 *
 * <p>Its output is the dead letters of the elements PostgreSQL refused as data: the pipeline sends them on to
 * its dead-letter sinks like any other. An output rather than an insert into {@code dead_letters} here, so that
 * one path stores, counts and publishes every dead letter (and the Kafka dead-letter topic sees these too); the
 * output is committed with the bundle, so a replayed bundle refuses and emits them again, and the dead-letter
 * sink stores each once.
 *
 * <p>With {@link #recording}, each transaction also records the Kafka offsets of what it stored
 * ({@link StoredKafkaOffsets}), rejected elements included (their dead letters are stored, with their offsets,
 * by the dead-letter sink).
 */
public abstract class TransactionalSink<T> extends DoFn<T, DeadLetter> {
  private final PostgresTarget target;
  private final int batchSize;
  private RetryPolicy retry = RetryPolicy.withBudget(RetryPolicy.DEFAULT_BUDGET);
  private StoredKafkaOffsets offsets;
  private transient TransactionalBatches<Held<T>> batches;
  private transient List<Held<DeadLetter>> rejected;

  protected TransactionalSink(PostgresTarget target, int batchSize) {
    this.target = target;
    this.batchSize = batchSize;
  }

  /** An element with the timestamp and window it came in, which its dead letter keeps. */
  private record Held<V>(V value, Instant timestamp, BoundedWindow window) {}

  /**
   * Stores {@code elements} on {@code connection}, inside a transaction the caller commits; must not commit.
   * Called again with the same elements (or each one alone) after a rollback.
   */
  protected abstract void store(Connection connection, List<T> elements) throws SQLException;

  /** Called once the transaction of {@code elements} committed: for metrics. */
  protected void committed(List<T> elements) {}

  /** The dead letter of an element PostgreSQL refused with {@code databaseMessage}. */
  protected abstract DeadLetter rejected(T element, String databaseMessage);

  /**
   * Where connections come from: by default one whose JDBC batches report a row count per row; a sink that
   * ignores the counts may choose the faster multi-row inserts of {@link PostgresTarget#dataSource}.
   */
  protected DataSource dataSource(PostgresTarget target) {
    return target.dataSourceWithRowCounts();
  }

  /** How long a failed transaction is retried before the bundle fails (default {@link RetryPolicy#DEFAULT_BUDGET}). */
  public TransactionalSink<T> retrying(RetryPolicy retry) {
    this.retry = retry;
    return this;
  }

  /** Each batch's transaction also records the Kafka offsets its elements were read at, in {@code offsets}. */
  public TransactionalSink<T> recording(StoredKafkaOffsets offsets) {
    this.offsets = offsets;
    return this;
  }

  /** Where {@code element} was read: {@code topic-partition:offset} for Kafka. */
  protected abstract String source(T element);

  @Setup
  public void setup() {
    batches = new TransactionalBatches<>(target, dataSource(target), batchSize, new Unwrapping(), retry);
    rejected = new ArrayList<>();
  }

  @StartBundle
  public void startBundle() {
    batches.startBundle();
    rejected.clear();
  }

  @ProcessElement
  public void processElement(@Element T element, @Timestamp Instant timestamp, BoundedWindow window)
      throws InterruptedException {
    batches.add(new Held<>(element, timestamp, window));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    batches.flush();
    for (Held<DeadLetter> letter : rejected) {
      context.output(letter.value(), letter.timestamp(), letter.window());
    }
    rejected.clear();
  }

  @Teardown
  public void teardown() {
    if (batches != null) {
      batches.closeConnection();
    }
  }

  /** The subclass's store, on the bare elements. */
  private final class Unwrapping implements TransactionalBatches.Store<Held<T>> {
    @Override
    public void store(Connection connection, List<Held<T>> elements) throws SQLException {
      List<T> values = values(elements);
      TransactionalSink.this.store(connection, values);
      if (offsets != null) {
        offsets.record(connection, values.stream().map(TransactionalSink.this::source).toList());
      }
    }

    @Override
    public void committed(List<Held<T>> elements) {
      TransactionalSink.this.committed(values(elements));
    }

    @Override
    public void rejected(Held<T> element, String databaseMessage) {
      DeadLetter letter = TransactionalSink.this.rejected(element.value(), databaseMessage);
      rejected.add(new Held<>(letter, element.timestamp(), element.window()));
    }

    private List<T> values(List<Held<T>> elements) {
      List<T> values = new ArrayList<>(elements.size());
      for (Held<T> element : elements) {
        values.add(element.value());
      }
      return values;
    }
  }
}
