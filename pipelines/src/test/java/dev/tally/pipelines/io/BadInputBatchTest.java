package dev.tally.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testing.BadInputCorpus;
import dev.tally.testing.BadInputCorpus.BadInputClass;
import dev.tally.testing.BadInputCorpus.ExpectedRecord;
import dev.tally.testing.TestPipelineExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch path of every class of the bad-input corpus ({@link BadInputCorpus}): each class's file read by
 * ReadRecordsFromFiles (gzip by extension, header, byte order mark, line endings, encoding), then ParseEvents and
 * ValidateEvents with the class's schema. Every record's outcome is checked exactly; a truncated or corrupt file
 * must fail the run with a message naming it.
 */
@ExtendWith(TestPipelineExtension.class)
class BadInputBatchTest {
  @TempDir Path dir;

  @Test
  void everyRecordOfEveryReadableClassGetsItsExpectedOutcome(TestPipeline pipeline) throws Exception {
    List<String> expected = new ArrayList<>();
    PCollectionList<String> outcomes = PCollectionList.empty(pipeline);
    for (BadInputClass badInput : BadInputCorpus.classes()) {
      if (badInput.fails() != null) {
        continue;
      }
      Path file = BadInputCorpus.copyTo(badInput, dir);
      List<String> lines = BadInputCorpus.fileLines(badInput);
      for (ExpectedRecord record : badInput.records()) {
        expected.add(BadInputCorpus.expected(record, file + ":" + record.line(), lines.get(record.line() - 1)));
      }
      outcomes =
          outcomes.and(
              pipeline
                  .apply("Read " + badInput.className(), new ReadRecordsFromFiles(file.toString(), badInput.eventSchema()))
                  .apply("ParseAndValidate " + badInput.className(),
                      BadInputCorpus.parseAndValidate(badInput.eventSchema())));
    }
    assertTrue(expected.size() >= 90, "the corpus has records: " + expected.size());

    PAssert.that(outcomes.apply(Flatten.pCollections())).satisfies(BadInputCorpus.exactly(expected));
    pipeline.run();
  }

  static Stream<BadInputClass> unreadableFiles() {
    return BadInputCorpus.classes().stream().filter(badInput -> badInput.fails() != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableFiles")
  void anUnreadableFileFailsTheRunWithAMessageNamingIt(BadInputClass badInput, TestPipeline pipeline)
      throws Exception {
    Path file = BadInputCorpus.copyTo(badInput, dir);
    pipeline
        .apply(new ReadRecordsFromFiles(file.toString(), badInput.eventSchema()))
        .apply(BadInputCorpus.parseAndValidate(badInput.eventSchema()));

    Pipeline.PipelineExecutionException failure =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    String message = String.valueOf(failure.getCause().getMessage());
    assertTrue(message.startsWith("cannot read input file " + file + " after line "), message);
    assertTrue(message.endsWith("a truncated or corrupt file? Replace it and run again"), message);
  }
}
