package dev.tally.pipelines.io;

import dev.tally.model.DeadLetter;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Writes dead letters as JSON Lines files {@code DIRECTORY/dead-letters-SSSSS-of-NNNNN.jsonl}. */
public class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String directory;

  public WriteDeadLetters(String directory) {
    this.directory = directory;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(DeadLetterJson::toJson))
        .apply("WriteJsonLines", TextIO.write().to(directory + "/dead-letters").withSuffix(".jsonl"));
  }
}
