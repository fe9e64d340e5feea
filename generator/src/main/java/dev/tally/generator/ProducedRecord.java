package dev.tally.generator;

/**
 * One generated record as sent to Kafka.
 *
 * @param record the record and its ground truth; its {@code file} is the topic and its {@code lineNumber} its
 *     1-based position in the run
 * @param key the Kafka key: the user id the record was generated for; for an invalid record whose user is missing
 *     (reason {@code missing_required_field}), {@link #noUserKey}
 * @param partition the partition the broker stored it in
 * @param offset its offset in that partition
 */
public record ProducedRecord(GeneratedRecord record, String key, int partition, long offset) {

  /** The stable key of a record with no user at a 0-based position: {@code invalid-<position>}. */
  static String noUserKey(long position) {
    return "invalid-" + position;
  }

  /** Where a consumer read it: {@code topic-partition@offset}. */
  public String kafkaPosition() {
    return record.file() + "-" + partition + "@" + offset;
  }
}
