package dev.tally.pipelines;

import java.io.IOException;
import java.time.Duration;
import org.apache.beam.sdk.PipelineResult;

/**
 * SIGTERM and Ctrl-C for the streaming JVM: stop the pipeline, then end the JVM with status 0 once it has stopped.
 *
 * <p>On the Spark runner, Spark's own shutdown hooks stop the streaming context and then the SparkContext;
 * cancelling through Beam as well makes them wait on each other, so this hook only waits until Spark has stopped.
 * It asks Spark itself ({@link SparkStreamingStopped}): Beam's result was seen to say RUNNING long after Spark had
 * stopped. If Spark has not stopped after {@link #CANCEL_JOBS_AFTER}, its running jobs are cancelled, which unblocks
 * a stop seen waiting on a job that could not finish. Other runners are cancelled. If the stop takes longer than
 * {@link #TIMEOUT}, the JVM is halted with status 1. Nothing depends on a graceful stop: input not yet committed to
 * PostgreSQL is read again from the consumer group's offsets at the next start and stored once.
 */
final class StopOnSignal {
  // Spark's stop of a streaming context waits up to 10 s for its checkpoint writer and 2 s for running jobs,
  // then the SparkContext stops: 3 s measured on a quiet machine, over 20 s at load average 14.
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(100);
  // A stop that takes longer waits on a job that cannot finish (SparkStreamingStopped.cancelJobs).
  private static final Duration CANCEL_JOBS_AFTER = Duration.ofSeconds(15);

  private static volatile boolean stopping;

  private final PipelineResult running;
  private final boolean spark;

  private StopOnSignal(PipelineResult running, boolean spark) {
    this.running = running;
    this.spark = spark;
  }

  static void install(PipelineResult running, boolean spark) {
    StopOnSignal stop = new StopOnSignal(running, spark);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::stopAndExit, "tally-stream-shutdown"));
  }

  /** True once a signal started the stop: a pipeline failing now is this stop, which ends the JVM itself. */
  static boolean stopping() {
    return stopping;
  }

  private void stopAndExit() {
    stopping = true;
    long started = System.nanoTime();
    if (!spark) {
      try {
        running.cancel();
      } catch (IOException | RuntimeException e) {
        System.err.println("tally stream: cancelling the pipeline failed: " + e.getMessage());
      }
    }
    boolean stopped = awaitStopped(started);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        stopped
            ? "tally stream: pipeline stopped in " + millis + " ms; exiting"
            : "tally stream: the pipeline did not stop within " + TIMEOUT.toSeconds() + " s (state "
                + running.getState() + "); exiting anyway (uncommitted input is replayed at the next start)");
    if (!stopped) {
      // Where the stop hangs, for a bug report: every thread not merely sleeping.
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        if (stack.length > 0 && thread.getState() != Thread.State.TIMED_WAITING) {
          System.out.println("  thread " + thread.getName() + " " + thread.getState());
          for (int i = 0; i < Math.min(stack.length, 12); i++) {
            System.out.println("    at " + stack[i]);
          }
        }
      });
    }
    System.out.flush();
    Runtime.getRuntime().halt(stopped ? 0 : 1);
  }

  private boolean awaitStopped(long started) {
    boolean cancelled = false;
    while (true) {
      if (running.getState().isTerminal() || (spark && SparkStreamingStopped.now())) {
        return true;
      }
      if (spark && !cancelled && System.nanoTime() - started > CANCEL_JOBS_AFTER.toNanos()) {
        System.out.println("tally stream: Spark has not stopped after " + CANCEL_JOBS_AFTER.toSeconds()
            + " s; cancelling its running jobs (their input is replayed at the next start)");
        SparkStreamingStopped.cancelJobs();
        cancelled = true;
      }
      if (System.nanoTime() - started > TIMEOUT.toNanos()) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
