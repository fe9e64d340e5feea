package dev.tally.runners.compare;

/** A problem a user of {@code ./tally compare} or {@code ./tally bench} can fix; the message names the fix. */
public final class CompareException extends RuntimeException {
  public CompareException(String message) {
    super(message);
  }
}
