package dev.tally.pipelines.io;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises a run that failed because HDFS did (a DataNode or the NameNode went away mid-job: a block that can
 * no longer be read, a block that no DataNode accepts), so the user gets one line naming the fix instead of the
 * runner's stack trace. Recognised by where the exception was thrown (the HDFS client's classes), or for a runner
 * that passes only the text of a remote failure, by that text naming them.
 */
public final class HdfsFailure {
  private static final String HDFS_CLIENT = "org.apache.hadoop.hdfs.";
  private static final int MAX_MESSAGE = 300;

  private HdfsFailure() {}

  /**
   * The one-line message for {@code failure} of a run writing to {@code output}, or null if HDFS is not among its
   * causes.
   */
  public static String messageFor(Throwable failure, String output) {
    Throwable hdfs = findIn(failure);
    if (hdfs == null) {
      return null;
    }
    return "the run failed because HDFS did (" + firstLine(hdfs) + "): check that the NameNode and every DataNode"
        + " are up (./tally stack status; ./tally stack up hdfs starts them), then run again with a new --output"
        + " or after deleting " + output + " (its files are incomplete); PostgreSQL takes the re-run without"
        + " duplicates";
  }

  /** The first cause thrown by the HDFS client, or whose text names it; null if none. */
  static Throwable findIn(Throwable failure) {
    Deque<Throwable> pending = new ArrayDeque<>();
    Set<Throwable> seen = new HashSet<>();
    pending.add(failure);
    Throwable byText = null;
    while (!pending.isEmpty()) {
      Throwable cause = pending.poll();
      if (!seen.add(cause)) {
        continue;
      }
      if (cause.getClass().getName().startsWith(HDFS_CLIENT) || thrownByHdfsClient(cause)) {
        return cause;
      }
      if (byText == null && cause.getMessage() != null && cause.getMessage().contains(HDFS_CLIENT)) {
        byText = cause;
      }
      if (cause.getCause() != null) {
        pending.add(cause.getCause());
      }
      pending.addAll(List.of(cause.getSuppressed()));
    }
    return byText;
  }

  /** Thrown while the HDFS client's code was running (e.g. an RPC error on its way out of DFSOutputStream). */
  private static boolean thrownByHdfsClient(Throwable cause) {
    for (StackTraceElement frame : cause.getStackTrace()) {
      if (frame.getClassName().startsWith(HDFS_CLIENT)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end).strip();
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
  }
}
