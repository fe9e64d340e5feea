package dev.tally.generator;

/**
 * One generated record as sent to Kafka.
 *
 * @param record the record and its ground truth; its {@code file} is the topic and its {@code lineNumber} its
 *     1-based position in the run
 * @param key the Kafka key: the user id, or for an invalid record (whose user may be missing) {@link #invalidKey}
 * @param partition the partition the broker stored it in
 * @param offset its offset in that partition
 */
public record ProducedRecord(GeneratedRecord record, String key, int partition, long offset) {

  /** The stable key of the invalid record at a 0-based position: {@code invalid-<position>}. */
  static String invalidKey(long position) {
    return "invalid-" + position;
  }

  /** The key of a record at a 0-based position: its user id, or for an invalid record {@link #invalidKey}. */
  static String keyOf(GeneratedRecord record, long position) {
    return record.userId() != null ? record.userId() : invalidKey(position);
  }

  /** Where a consumer read it: {@code topic-partition@offset}. */
  public String kafkaPosition() {
    return record.file() + "-" + partition + "@" + offset;
  }
}
