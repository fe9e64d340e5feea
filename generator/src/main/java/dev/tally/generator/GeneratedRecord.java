package dev.tally.generator;

import dev.tally.model.ReasonCode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One generated record and its ground truth.
 *
 * @param line the record exactly as written, without the line terminator
 * @param kind what the pipeline should make of it
 * @param reason the reason the pipeline should dead-letter it with; only for {@link RecordKind#INVALID}, else null
 * @param file the data file it is written to (a path or a URI)
 * @param lineNumber its 1-based line number in that file; in CSV files with a header line, that header is line 1
 * @param eventId the event id; null for INVALID records and when the schema has no event id
 * @param userId the user id as the pipeline outputs it (the user field's canonical text); null for INVALID records
 * @param eventType Tally's name of the event type (after the schema's mapping); null for INVALID records
 * @param eventTime the event time the pipeline reads back from the line (formats without milliseconds truncate
 *     the generated time); null for INVALID records
 * @param price the price as written (at most two decimal places), or null when the event has none or the schema
 *     has no price field (always null for INVALID)
 */
public record GeneratedRecord(
    String line,
    RecordKind kind,
    ReasonCode reason,
    String file,
    long lineNumber,
    String eventId,
    String userId,
    String eventType,
    Instant eventTime,
    BigDecimal price) {

  /** True for VALID and LATE records: the events the pipeline keeps after de-duplication. */
  public boolean isUniqueValid() {
    return kind == RecordKind.VALID || kind == RecordKind.LATE;
  }

  /** Where the pipeline reports this record, e.g. {@code data/events/events-00000.csv:17}. */
  public String sourcePosition() {
    return file + ":" + lineNumber;
  }
}
