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

  @Description(
      "Event schema: a built-in name (default, db-actions, card-transactions, rees46, retailrocket) or the path of"
          + " a JSON schema file (see README, 'Schema files'). It declares the format, fields, roles and rules.")
  @Default.String("default")
  String getSchema();

  void setSchema(String value);

  @Description(
      "Input format, overriding the schema's: csv (first line of each file is the header) or jsonl (one JSON"
          + " object per line). Default: the schema's format (csv for the default schema).")
  String getFormat();

  void setFormat(String value);

  @Description("Records larger than this many UTF-8 bytes go to the dead letters as record_too_large.")
  @Default.Long(1024 * 1024)
  long getMaxRecordBytes();

  void setMaxRecordBytes(long value);
}
