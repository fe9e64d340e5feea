package dev.tally.runners.stream;

import dev.tally.pipelines.ExpectedCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Raw events for the streaming tests, in the default schema's CSV layout (eleven columns, no header), with their
 * expected outcome computed here, independently of the pipeline: valid ones (some far later than the rest, out of
 * order), exact duplicates of earlier valid ones, and invalid ones of several reasons. Each record is assigned a
 * partition of a 3-partition topic, unevenly (70/25/5 %).
 */
final class StreamTestEvents {
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int PARTITIONS = 3;
  private static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");
  private static final List<String> TYPES = List.of("view", "search", "add_to_cart", "login", "logout", "purchase");

  /** One record to produce: its partition, key (the user), value and, for invalid ones, the expected reason. */
  record Produced(int partition, String key, String value, String reason) {}

  private final Random random;
  private final List<Produced> valid = new ArrayList<>();
  private int nextId;

  StreamTestEvents(long seed) {
    this.random = new Random(seed);
  }

  /**
   * The next {@code n} records: mostly new valid events, about 5 % exact duplicates of earlier ones, 5 % invalid,
   * and 3 % valid but three hours older than the rest (late).
   */
  List<Produced> next(int n) {
    List<Produced> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int partition = partition();
      int kind = random.nextInt(100);
      if (kind < 5 && !valid.isEmpty()) {
        Produced original = valid.get(random.nextInt(valid.size()));
        records.add(new Produced(partition, original.key(), original.value(), null));
      } else if (kind < 10) {
        records.add(invalid(partition));
      } else {
        Instant time = BASE.plusMillis(random.nextInt((int) Duration.ofMinutes(30).toMillis()));
        if (kind < 13) {
          time = time.minus(Duration.ofHours(3));
        }
        Produced event = validEvent(partition, time);
        valid.add(event);
        records.add(event);
      }
    }
    return records;
  }

  /** One new valid event, timed now-ish (within the same half hour as the rest). */
  Produced nextValid() {
    Produced event = validEvent(partition(), BASE.plusMillis(random.nextInt((int) Duration.ofMinutes(30).toMillis())));
    valid.add(event);
    return event;
  }

  private int partition() {
    int draw = random.nextInt(100);
    return draw < 70 ? 0 : draw < 95 ? 1 : 2;
  }

  private Produced validEvent(int partition, Instant time) {
    String id = String.format("e-%07d", nextId++);
    String user = "user-" + random.nextInt(20);
    String type = TYPES.get(random.nextInt(TYPES.size()));
    String price = type.equals("purchase") ? (1 + random.nextInt(500)) + ".25" : "";
    return new Produced(partition, user, line(id, user, type, time.toString(), price), null);
  }

  private Produced invalid(int partition) {
    String id = String.format("bad-%07d", nextId++);
    String user = "user-" + random.nextInt(20);
    String time = BASE.plusSeconds(random.nextInt(1800)).toString();
    switch (random.nextInt(4)) {
      case 0:
        return new Produced(partition, user, line(id, user, "teleport", time, ""), "unknown_event_type");
      case 1:
        return new Produced(partition, user, line(id, user, "view", "yesterday", ""), "invalid_timestamp");
      case 2:
        return new Produced(partition, user, line(id, user, "purchase", time, ""), "purchase_without_price");
      default:
        return new Produced(partition, user, id + "," + user + ",only three columns", "malformed_record");
    }
  }

  private static String line(String id, String user, String type, String time, String price) {
    return String.join(",", id, user, type, time, "prod-00001", "books", price, "EUR", "web", "DE", "sess-1");
  }

  /**
   * The expected user_event_counts of everything {@link #next} returned so far: one per distinct event id, in the
   * fixed one-minute window of its time, keyed {@code window_start|user|type}.
   */
  Map<String, Long> expectedCounts() {
    Map<String, String> byId = new TreeMap<>();
    for (Produced event : valid) {
      byId.putIfAbsent(event.value().substring(0, event.value().indexOf(',')), event.value());
    }
    return ExpectedCounts.of(byId.values(), WINDOW);
  }

  /** How many distinct valid events {@link #next} returned so far. */
  int distinctValid() {
    return (int) valid.stream().map(Produced::value).distinct().count();
  }
}
