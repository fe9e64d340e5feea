package dev.tally.pipelines;

import org.apache.spark.streaming.StreamingContext;
import scala.Option;

/** Whether Spark streaming has stopped in this JVM; loaded only on the Spark runner, which brings Spark. */
final class SparkStreamingStopped {
  private SparkStreamingStopped() {}

  /** No active streaming context, or its SparkContext stopped: no batch can run any more. */
  static boolean now() {
    Option<StreamingContext> active = StreamingContext.getActive();
    return active.isEmpty() || active.get().sparkContext().isStopped();
  }
}
