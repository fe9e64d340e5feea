package dev.tally.pipelines.io.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Java values as Tally's PostgreSQL columns take them. */
final class PostgresValues {
  private static final char NUL = '\u0000';
  private static final char REPLACEMENT_CHARACTER = '\uFFFD';

  private PostgresValues() {}

  /**
   * Text PostgreSQL can store: its text type cannot hold U+0000 (the server rejects the whole batch), so each
   * NUL becomes U+FFFD, as undecodable input bytes already do. Null stays null.
   */
  static String text(String value) {
    return value == null ? null : value.replace(NUL, REPLACEMENT_CHARACTER);
  }

  /** A timestamptz value. PostgreSQL keeps microseconds: truncated here, as in the Parquet outputs. */
  static OffsetDateTime timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
