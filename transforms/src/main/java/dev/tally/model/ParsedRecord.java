package dev.tally.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A record split into its field texts, not yet typed or validated. The raw record travels along so that a
 * validation failure still dead-letters the exact input.
 *
 * @param raw the record as read
 * @param values one text per schema field, in the schema's order; null where the field is absent or empty
 */
@DefaultCoder(ParsedRecord.ParsedRecordCoder.class)
public record ParsedRecord(RawRecord raw, List<String> values) {

  /** The text of the schema field at an index. */
  public String get(int fieldIndex) {
    return values.get(fieldIndex);
  }

  /** The text of a field of the default schema. */
  public String get(EventField field) {
    return values.get(field.ordinal());
  }

  /** Deterministic encoding for shuffles. */
  public static class ParsedRecordCoder extends StatelessCoder<ParsedRecord> {
    private static final Coder<List<String>> VALUES = ListCoder.of(NullableCoder.of(StringUtf8Coder.of()));

    public static ParsedRecordCoder of() {
      return new ParsedRecordCoder();
    }

    /** Lets {@code @DefaultCoder} find this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ParsedRecord.class), of());
    }

    @Override
    public void encode(ParsedRecord record, OutputStream out) throws IOException {
      RawRecord.RawRecordCoder.of().encode(record.raw(), out);
      VALUES.encode(record.values(), out);
    }

    @Override
    public ParsedRecord decode(InputStream in) throws IOException {
      return new ParsedRecord(RawRecord.RawRecordCoder.of().decode(in), new ArrayList<>(VALUES.decode(in)));
    }

  }
}
