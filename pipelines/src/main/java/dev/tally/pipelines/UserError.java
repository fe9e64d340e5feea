package dev.tally.pipelines;

/** A problem the user can fix (a bad flag, a missing input): shown as one line, without a stack trace. */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
