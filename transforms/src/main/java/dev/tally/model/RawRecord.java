package dev.tally.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One input record exactly as read, with where it came from.
 *
 * @param payload the record's text, unchanged (no trimming, no line terminator)
 * @param origin where it was read: a file path, or later a Kafka topic-partition
 * @param position its place in the origin: a 1-based line number, or later a Kafka offset
 * @param csvHeader the header line of the CSV file it came from; null for JSON Lines or header-less input
 */
@DefaultCoder(RawRecord.RawRecordCoder.class)
public record RawRecord(String payload, String origin, long position, String csvHeader) {

  public static RawRecord of(String payload, String origin, long position) {
    return new RawRecord(payload, origin, position, null);
  }

  /** The source position shown in dead letters, e.g. {@code /data/events-00000.csv:17}. */
  public String sourcePosition() {
    return origin + ":" + position;
  }

  /** Deterministic encoding for shuffles. */
  public static class RawRecordCoder extends StatelessCoder<RawRecord> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> OPTIONAL_STRING = NullableCoder.of(STRING);

    public static RawRecordCoder of() {
      return new RawRecordCoder();
    }

    /** Lets {@code @DefaultCoder} find this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RawRecord.class), of());
    }

    @Override
    public void encode(RawRecord record, OutputStream out) throws IOException {
      STRING.encode(record.payload(), out);
      STRING.encode(record.origin(), out);
      VarLongCoder.of().encode(record.position(), out);
      OPTIONAL_STRING.encode(record.csvHeader(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new RawRecord(
          STRING.decode(in), STRING.decode(in), VarLongCoder.of().decode(in), OPTIONAL_STRING.decode(in));
    }

  }
}
