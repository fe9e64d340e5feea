package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How raw events are encoded: the event schema, its format, and the record size limit. Shared by batch and streaming. */
public interface EventFormatOptions extends PipelineOptions {
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
