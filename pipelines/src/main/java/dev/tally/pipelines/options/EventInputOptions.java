package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Where the batch path reads raw events from, and how they are encoded. */
public interface EventInputOptions extends EventFormatOptions {
  @Description("Input files: a path or glob, e.g. data/events/*.csv. Files ending in .gz are decompressed.")
  @Validation.Required
  String getInput();

  void setInput(String value);
}
