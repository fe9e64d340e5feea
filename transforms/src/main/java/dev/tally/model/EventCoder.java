package dev.tally.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Compact, deterministic encoding of {@link Event}: far cheaper than Java serialization on a shuffle. */
public class EventCoder extends CustomCoder<Event> {
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> OPTIONAL_STRING = NullableCoder.of(STRING);
  private static final Coder<BigDecimal> OPTIONAL_DECIMAL = NullableCoder.of(BigDecimalCoder.of());
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
    STRING.encode(event.eventId(), out);
    STRING.encode(event.userId(), out);
    VarIntCoder.of().encode(event.eventType().ordinal(), out);
    VarLongCoder.of().encode(event.eventTime().getEpochSecond(), out);
    VarIntCoder.of().encode(event.eventTime().getNano(), out);
    OPTIONAL_STRING.encode(event.productId(), out);
    OPTIONAL_STRING.encode(event.category(), out);
    OPTIONAL_DECIMAL.encode(event.price(), out);
    OPTIONAL_STRING.encode(event.currency(), out);
    OPTIONAL_STRING.encode(event.device(), out);
    OPTIONAL_STRING.encode(event.location(), out);
    OPTIONAL_STRING.encode(event.sessionId(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return new Event(
        STRING.decode(in),
        STRING.decode(in),
        EventType.values()[VarIntCoder.of().decode(in)],
        Instant.ofEpochSecond(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in)),
        OPTIONAL_STRING.decode(in),
        OPTIONAL_STRING.decode(in),
        OPTIONAL_DECIMAL.decode(in),
        OPTIONAL_STRING.decode(in),
        OPTIONAL_STRING.decode(in),
        OPTIONAL_STRING.decode(in),
        OPTIONAL_STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
