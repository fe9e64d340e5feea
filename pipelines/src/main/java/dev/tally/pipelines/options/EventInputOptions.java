package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where raw events are read from and how they are encoded. */
public interface EventInputOptions extends PipelineOptions {
  @Description("Input files: a path or glob, e.g. data/events/*.csv. Files ending in .gz are decompressed.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Input format: csv (first line of each file is the header) or jsonl (one JSON object per line).")
  @Default.String("csv")
  String getFormat();

  void setFormat(String value);

  @Description("Records larger than this many UTF-8 bytes go to the dead letters as record_too_large.")
  @Default.Long(1024 * 1024)
  long getMaxRecordBytes();

  void setMaxRecordBytes(long value);
}
