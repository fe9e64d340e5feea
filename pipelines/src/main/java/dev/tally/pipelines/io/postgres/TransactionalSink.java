package dev.tally.pipelines.io.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A streaming sink DoFn that stores its input in PostgreSQL through {@link TransactionalBatches}: one connection
 * per DoFn instance, batches of at most {@code batchSize} elements of one bundle, each committed in one transaction,
 * the last one when the bundle finishes. Subclasses say how a batch is stored. With {@link #recording}, each
 * transaction also records the Kafka offsets of what it stored ({@link StoredKafkaOffsets}).
 */
public abstract class TransactionalSink<T> extends DoFn<T, Void> implements TransactionalBatches.Store<T> {
  private final PostgresTarget target;
  private final int batchSize;
  private StoredKafkaOffsets offsets;
  private transient TransactionalBatches<T> batches;

  protected TransactionalSink(PostgresTarget target, int batchSize) {
    this.target = target;
    this.batchSize = batchSize;
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
    batches = new TransactionalBatches<>(target, batchSize, offsets == null ? this : storeWithOffsets());
  }

  /** This sink's store, then the offsets of the same elements, in the same transaction. */
  private TransactionalBatches.Store<T> storeWithOffsets() {
    return new TransactionalBatches.Store<>() {
      @Override
      public void store(Connection connection, List<T> elements) throws SQLException {
        TransactionalSink.this.store(connection, elements);
        offsets.record(connection, elements.stream().map(TransactionalSink.this::source).toList());
      }

      @Override
      public void committed(List<T> elements) {
        TransactionalSink.this.committed(elements);
      }
    };
  }

  @StartBundle
  public void startBundle() {
    batches.startBundle();
  }

  @ProcessElement
  public void processElement(@Element T element) throws InterruptedException {
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
}
