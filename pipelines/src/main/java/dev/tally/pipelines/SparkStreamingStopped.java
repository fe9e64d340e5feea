package dev.tally.pipelines;

import org.apache.spark.streaming.StreamingContext;
import scala.Option;

/** Whether Spark streaming has stopped in this JVM; loaded only on the Spark runner, which brings Spark. */
final class SparkStreamingStopped {
  private SparkStreamingStopped() {}

  /**
   * Cancels the jobs Spark is running. Seen on SIGTERM: Spark's JobGenerator waited, holding the DStream graph's lock,
   * for a job (run while generating a batch) whose tasks could no longer run, so Spark's own stop, which needs that
   * lock, never finished. A cancelled job's input is replayed at the next start and stored once.
   */
  static void cancelJobs() {
    Option<StreamingContext> active = StreamingContext.getActive();
    if (active.isDefined() && !active.get().sparkContext().isStopped()) {
      active.get().sparkContext().cancelAllJobs();
    }
  }

  /** No active streaming context, or its SparkContext stopped: no batch can run any more. */
  static boolean now() {
    Option<StreamingContext> active = StreamingContext.getActive();
    return active.isEmpty() || active.get().sparkContext().isStopped();
  }
}
