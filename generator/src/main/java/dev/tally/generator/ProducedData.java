package dev.tally.generator;

import java.util.List;

/**
 * Every record a run sent to Kafka, in send order, with where the broker stored it.
 *
 * @param records the records in send order (the file mode's record order for the same config)
 * @param run the manifest and timing of the run
 */
public record ProducedData(List<ProducedRecord> records, KafkaRun run) {

  public ProducedData {
    records = List.copyOf(records);
  }

  /** The generated records alone, for {@link GroundTruth}. */
  public List<GeneratedRecord> generatedRecords() {
    return records.stream().map(ProducedRecord::record).toList();
  }
}
