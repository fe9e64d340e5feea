package dev.tally.pipelines.io;

import dev.tally.model.WindowedCount;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The Parquet (Avro) layout of {@code counts/}: one row per window, user and event type. */
public final class CountRecords {
  public static final Schema SCHEMA =
      SchemaBuilder.record("WindowedCount")
          .namespace("dev.tally")
          .fields()
          .name("window_start").type(timestampMillis()).noDefault()
          .name("window_end").type(timestampMillis()).noDefault()
          .requiredString("user_id")
          .requiredString("event_type")
          .requiredLong("event_count")
          .endRecord();

  private CountRecords() {}

  static Schema timestampMillis() {
    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  }

  public static GenericRecord toRecord(WindowedCount count) {
    GenericRecord record = new GenericData.Record(SCHEMA);
    record.put("window_start", count.windowStart().toEpochMilli());
    record.put("window_end", count.windowEnd().toEpochMilli());
    record.put("user_id", count.userId());
    record.put("event_type", count.eventType());
    record.put("event_count", count.eventCount());
    return record;
  }
}
