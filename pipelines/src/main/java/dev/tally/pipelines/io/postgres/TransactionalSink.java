package dev.tally.pipelines.io.postgres;

import org.apache.beam.sdk.transforms.DoFn;

/**
 * A streaming sink DoFn that stores its input in PostgreSQL through {@link TransactionalBatches}: one connection
 * per DoFn instance, batches of at most {@code batchSize} elements of one bundle, each committed in one transaction,
 * the last one when the bundle finishes. Subclasses say how a batch is stored.
 */
public abstract class TransactionalSink<T> extends DoFn<T, Void> implements TransactionalBatches.Store<T> {
  private final PostgresTarget target;
  private final int batchSize;
  private RetryPolicy retry = RetryPolicy.withBudget(RetryPolicy.DEFAULT_BUDGET);
  private transient TransactionalBatches<T> batches;

  protected TransactionalSink(PostgresTarget target, int batchSize) {
    this.target = target;
    this.batchSize = batchSize;
  }

  /** How long a failed transaction is retried before the bundle fails (default {@link RetryPolicy#DEFAULT_BUDGET}). */
  public TransactionalSink<T> retrying(RetryPolicy retry) {
    this.retry = retry;
    return this;
  }

  @Setup
  public void setup() {
    batches = new TransactionalBatches<>(target, batchSize, this, retry);
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
