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
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** How many events one user had of one type in one event-time window [windowStart, windowEnd). */
@DefaultCoder(WindowedCount.WindowedCountCoder.class)
public record WindowedCount(
    Instant windowStart, Instant windowEnd, String userId, String eventType, long eventCount) {

  /** Deterministic encoding for shuffles. */
  public static class WindowedCountCoder extends StatelessCoder<WindowedCount> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();

    public static WindowedCountCoder of() {
      return new WindowedCountCoder();
    }

    /** Lets {@code @DefaultCoder} find this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(WindowedCount.class), of());
    }

    @Override
    public void encode(WindowedCount count, OutputStream out) throws IOException {
      LONG.encode(count.windowStart().toEpochMilli(), out);
      LONG.encode(count.windowEnd().toEpochMilli(), out);
      STRING.encode(count.userId(), out);
      STRING.encode(count.eventType(), out);
      LONG.encode(count.eventCount(), out);
    }

    @Override
    public WindowedCount decode(InputStream in) throws IOException {
      return new WindowedCount(
          Instant.ofEpochMilli(LONG.decode(in)),
          Instant.ofEpochMilli(LONG.decode(in)),
          STRING.decode(in),
          STRING.decode(in),
          LONG.decode(in));
    }

  }
}
