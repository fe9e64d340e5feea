package dev.tally.transforms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.model.RawRecord;
import dev.tally.testing.BadInputCorpus;
import dev.tally.testing.BadInputCorpus.BadInputClass;
import dev.tally.testing.BadInputCorpus.ExpectedRecord;
import dev.tally.testing.TestPipelineExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.transforms.Flatten;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The streaming path of every record-level class of the bad-input corpus ({@link BadInputCorpus}): each line of
 * the class's file is a Kafka record value (no header: the streaming path reads CSV in the schema's column
 * order) at offset = line number of topic {@code <class>}, partition 0, through the same ParseEvents and
 * ValidateEvents the streaming pipeline uses. Every record's outcome is checked exactly.
 */
@ExtendWith(TestPipelineExtension.class)
class BadInputStreamingTest {

  @Test
  void everyRecordLevelClassGetsItsExpectedOutcome(TestPipeline pipeline) {
    Map<String, List<RawRecord>> recordsBySchema = new TreeMap<>();
    List<String> expected = new ArrayList<>();
    for (BadInputClass badInput : BadInputCorpus.classes()) {
      if (!badInput.onPath("streaming")) {
        continue;
      }
      List<String> values = BadInputCorpus.kafkaValues(badInput);
      for (ExpectedRecord record : badInput.records()) {
        RawRecord raw = RawRecord.of(values.get(record.line() - 1), badInput.className() + "-0", record.line());
        recordsBySchema.computeIfAbsent(badInput.schema(), schema -> new ArrayList<>()).add(raw);
        expected.add(BadInputCorpus.expected(record, raw.sourcePosition(), raw.payload()));
      }
    }
    assertTrue(expected.size() >= 40, "the corpus has record-level classes: " + expected.size() + " records");

    PCollectionList<String> outcomes = PCollectionList.empty(pipeline);
    for (Map.Entry<String, List<RawRecord>> schema : recordsBySchema.entrySet()) {
      PCollection<String> schemaOutcomes =
          pipeline
              .apply("Read " + schema.getKey(), Create.of(schema.getValue()))
              .apply("ParseAndValidate " + schema.getKey(),
                  BadInputCorpus.parseAndValidate(dev.tally.schema.EventSchema.builtIn(schema.getKey())));
      outcomes = outcomes.and(schemaOutcomes);
    }
    PAssert.that(outcomes.apply(Flatten.pCollections())).satisfies(BadInputCorpus.exactly(expected));
    pipeline.run();
  }
}
