package dev.tally.pipelines.io;

import dev.tally.model.Event;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The Parquet (Avro) layout of {@code events/}, made from the event schema: one column per field, in the
 * schema's order, typed as declared (string and enum: string; long; decimal: DECIMAL(precision, scale);
 * timestamp: timestamp-micros). Required fields are non-null columns. The event-type column holds Tally's name.
 */
public final class EventRecords {
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private EventRecords() {}

  public static Schema avroSchema(EventSchema schema) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("Event").namespace("dev.tally").doc("events of schema " + schema.name()).fields();
    for (FieldSpec field : schema.fields()) {
      Schema type = avroType(field);
      if (field.required()) {
        fields = fields.name(field.name()).type(type).noDefault();
      } else {
        fields = fields.name(field.name()).type().unionOf().nullType().and().type(type).endUnion().nullDefault();
      }
    }
    return fields.endRecord();
  }

  /** Turns events of {@code schema} into Avro records; serializable, for a Beam step. */
  public static SerializableFunction<Event, GenericRecord> toRecord(EventSchema schema) {
    return new ToRecord(schema);
  }

  /** Reads a decimal column back from its Parquet bytes, e.g. in tests and reports. */
  public static BigDecimal decimal(FieldSpec field, ByteBuffer bytes) {
    Schema type = avroType(field);
    return DECIMALS.fromBytes(bytes.duplicate(), type, type.getLogicalType());
  }

  private static Schema avroType(FieldSpec field) {
    switch (field.type()) {
      case LONG:
        return Schema.create(Schema.Type.LONG);
      case DECIMAL:
        return LogicalTypes.decimal(field.precision(), field.scale()).addToSchema(Schema.create(Schema.Type.BYTES));
      case TIMESTAMP:
        return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      default:
        return Schema.create(Schema.Type.STRING);
    }
  }

  private static final class ToRecord implements SerializableFunction<Event, GenericRecord> {
    private final EventSchema schema;
    private transient Schema avro;
    private transient Schema[] types;

    ToRecord(EventSchema schema) {
      this.schema = schema;
    }

    @Override
    public GenericRecord apply(Event event) {
      if (avro == null) {
        avro = avroSchema(schema);
        types = new Schema[schema.fieldCount()];
        for (int i = 0; i < types.length; i++) {
          types[i] = avroType(schema.field(i));
        }
      }
      GenericRecord record = new GenericData.Record(avro);
      for (int i = 0; i < schema.fieldCount(); i++) {
        String value = event.value(i);
        record.put(i, value == null ? null : avroValue(schema.field(i), types[i], value));
      }
      return record;
    }

    /** From the canonical text ValidateEvents produced, so parsing cannot fail here. */
    private static Object avroValue(FieldSpec field, Schema type, String value) {
      switch (field.type()) {
        case LONG:
          return Long.parseLong(value);
        case DECIMAL:
          // Exact: validation rejected values with more decimal places than the scale.
          BigDecimal decimal = new BigDecimal(value).setScale(field.scale(), RoundingMode.UNNECESSARY);
          return DECIMALS.toBytes(decimal, type, type.getLogicalType());
        case TIMESTAMP:
          Instant time = Instant.parse(value);
          return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
        default:
          return value;
      }
    }
  }
}
