package dev.tally.schema;

import dev.tally.model.ReasonCode;

/** A field value that breaks its schema declaration: the reason code a dead letter gets, and why. */
public final class InvalidValue extends Exception {
  private final ReasonCode reason;

  public InvalidValue(ReasonCode reason, String message) {
    // No stack trace: these are routine, one per bad record.
    super(message, null, false, false);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
