package dev.tally.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A record that could not become a valid event, kept whole so it can be inspected and replayed.
 *
 * @param raw the record exactly as read, never truncated
 * @param source where it was read, e.g. {@code /data/events-00000.csv:17}
 * @param stage where it failed
 * @param reason why, as a stable code
 * @param message a human explanation naming the field and value at fault
 * @param failedAt wall-clock time of the failure
 */
@DefaultCoder(DeadLetter.DeadLetterCoder.class)
public record DeadLetter(
    String raw, String source, Stage stage, ReasonCode reason, String message, Instant failedAt) {

  public static DeadLetter of(RawRecord record, Stage stage, ReasonCode reason, String message) {
    return new DeadLetter(record.payload(), record.sourcePosition(), stage, reason, message, Instant.now());
  }

  /** Deterministic encoding for shuffles. */
  public static class DeadLetterCoder extends StatelessCoder<DeadLetter> {
    private static final Coder<String> STRING = StringUtf8Coder.of();

    public static DeadLetterCoder of() {
      return new DeadLetterCoder();
    }

    /** Lets {@code @DefaultCoder} find this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), of());
    }

    @Override
    public void encode(DeadLetter letter, OutputStream out) throws IOException {
      STRING.encode(letter.raw(), out);
      STRING.encode(letter.source(), out);
      VarIntCoder.of().encode(letter.stage().ordinal(), out);
      VarIntCoder.of().encode(letter.reason().ordinal(), out);
      STRING.encode(letter.message(), out);
      VarLongCoder.of().encode(letter.failedAt().getEpochSecond(), out);
      VarIntCoder.of().encode(letter.failedAt().getNano(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(
          STRING.decode(in),
          STRING.decode(in),
          Stage.values()[VarIntCoder.of().decode(in)],
          ReasonCode.values()[VarIntCoder.of().decode(in)],
          STRING.decode(in),
          Instant.ofEpochSecond(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in)));
    }

  }
}
