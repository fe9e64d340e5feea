package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Where the batch path reads raw events from, and how they are encoded. */
public interface EventInputOptions extends EventFormatOptions {
  @Description("Input files: a path or glob, e.g. data/events/*.csv. Files ending in .gz are decompressed.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Most input files one run may read; more is refused before anything is read (a glob matching far more "
          + "files than meant, e.g. a whole bucket, would otherwise plan one read per file).")
  @Default.Integer(10_000)
  int getMaxInputFiles();

  void setMaxInputFiles(int value);
}
