package dev.tally.generator;

import java.io.IOException;

/** The broker could not be reached or refused the records; the message names the fix. */
public final class KafkaUnavailableException extends IOException {
  public KafkaUnavailableException(String message) {
    super(message);
  }
}
