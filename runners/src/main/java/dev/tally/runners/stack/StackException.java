package dev.tally.runners.stack;

/**
 * A stack problem the user can act on (a port taken, Spark home not built, a service that did not become ready):
 * its message says what happened and what to do, and is shown without a stack trace.
 */
public class StackException extends RuntimeException {
  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
