package dev.tally.pipelines.io;

import java.io.IOException;

/**
 * An input file that stopped being readable part-way, e.g. a truncated or corrupt gzip file. Its records cannot
 * all be read, so the run fails with this message, naming the file, rather than counting only some of them.
 */
public class UnreadableInputFile extends IOException {
  public UnreadableInputFile(String file, long linesRead, IOException cause) {
    super("cannot read input file " + file + " after line " + linesRead + " ("
        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
        + "): a truncated or corrupt file? Replace it and run again", cause);
  }

  /** The UnreadableInputFile among a run failure's causes, or null. */
  public static UnreadableInputFile findIn(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnreadableInputFile unreadable) {
        return unreadable;
      }
    }
    return null;
  }
}
