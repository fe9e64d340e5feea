package dev.tally.pipelines.io;

import dev.tally.model.Event;
import dev.tally.transforms.ValidateEvents;
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

/**
 * The Parquet (Avro) layout of {@code events/}: every field of a valid event. event_time keeps microseconds;
 * price is DECIMAL(18,4), the precision {@link ValidateEvents} admits.
 */
public final class EventRecords {
  private static final LogicalTypes.Decimal PRICE_TYPE =
      LogicalTypes.decimal(ValidateEvents.PRICE_PRECISION, ValidateEvents.PRICE_SCALE);
  private static final Schema PRICE_SCHEMA = PRICE_TYPE.addToSchema(Schema.create(Schema.Type.BYTES));
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  public static final Schema SCHEMA =
      SchemaBuilder.record("Event")
          .namespace("dev.tally")
          .fields()
          .requiredString("event_id")
          .requiredString("user_id")
          .requiredString("event_type")
          .name("event_time").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .optionalString("product_id")
          .optionalString("category")
          .name("price").type().unionOf().nullType().and().type(PRICE_SCHEMA).endUnion().nullDefault()
          .optionalString("currency")
          .optionalString("device")
          .optionalString("location")
          .optionalString("session_id")
          .endRecord();

  private EventRecords() {}

  public static GenericRecord toRecord(Event event) {
    GenericRecord record = new GenericData.Record(SCHEMA);
    record.put("event_id", event.eventId());
    record.put("user_id", event.userId());
    record.put("event_type", event.eventType().wireName());
    record.put("event_time", epochMicros(event.eventTime()));
    record.put("product_id", event.productId());
    record.put("category", event.category());
    record.put("price", event.price() == null ? null : priceBytes(event.price()));
    record.put("currency", event.currency());
    record.put("device", event.device());
    record.put("location", event.location());
    record.put("session_id", event.sessionId());
    return record;
  }

  /** Reads a price back from its Parquet bytes, e.g. in tests and reports. */
  public static BigDecimal price(ByteBuffer bytes) {
    return DECIMALS.fromBytes(bytes.duplicate(), PRICE_SCHEMA, PRICE_TYPE);
  }

  private static ByteBuffer priceBytes(BigDecimal price) {
    // Exact: validation rejected prices with more decimal places than the scale.
    return DECIMALS.toBytes(price.setScale(ValidateEvents.PRICE_SCALE, RoundingMode.UNNECESSARY), PRICE_SCHEMA, PRICE_TYPE);
  }

  private static long epochMicros(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }
}
