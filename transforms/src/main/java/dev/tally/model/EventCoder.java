package dev.tally.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Compact, deterministic encoding of {@link Event}: far cheaper than Java serialization on a shuffle. */
public class EventCoder extends StatelessCoder<Event> {
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> OPTIONAL_STRING = NullableCoder.of(STRING);
  private static final Coder<BigDecimal> OPTIONAL_DECIMAL = NullableCoder.of(BigDecimalCoder.of());
  private static final Coder<List<String>> VALUES = ListCoder.of(OPTIONAL_STRING);
  private static final EventCoder INSTANCE = new EventCoder();

  public static EventCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Event.class), of());
  }

  @Override
  public void encode(Event event, OutputStream out) throws IOException {
    OPTIONAL_STRING.encode(event.eventId(), out);
    STRING.encode(event.userId(), out);
    STRING.encode(event.eventType(), out);
    VarLongCoder.of().encode(event.eventTime().getEpochSecond(), out);
    VarIntCoder.of().encode(event.eventTime().getNano(), out);
    OPTIONAL_DECIMAL.encode(event.price(), out);
    VALUES.encode(event.values(), out);
    STRING.encode(event.source(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return new Event(
        OPTIONAL_STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        Instant.ofEpochSecond(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in)),
        OPTIONAL_DECIMAL.decode(in),
        VALUES.decode(in),
        STRING.decode(in));
  }

}
