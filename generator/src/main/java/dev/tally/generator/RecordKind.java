package dev.tally.generator;

/** What the pipeline should make of a generated record. */
public enum RecordKind {
  /** A valid event, in event-time order with its neighbours. */
  VALID,
  /** A valid event whose event time is 1 to 3 hours earlier than the records before and after it. */
  LATE,
  /** A byte-for-byte copy of an earlier VALID or LATE record's line (same event_id), to be de-duplicated. */
  DUPLICATE,
  /** A record with exactly one defect, to be dead-lettered with {@link GeneratedRecord#reason()}. */
  INVALID
}
