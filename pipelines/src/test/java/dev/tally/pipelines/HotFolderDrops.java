package dev.tally.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * CSV files of the default schema dropped into a hot folder as the generator does (written under a hidden
 * temporary name, then renamed atomically), with what the streaming pipeline must store, computed here: valid
 * events, exact copies of earlier ones (from the same file or an earlier one) and invalid lines of four reasons.
 */
final class HotFolderDrops {
  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String HEADER =
      "event_id,user_id,event_type,event_time,product_id,category,price,currency,device,location,session_id";
  private static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");
  private static final List<String> TYPES = List.of("view", "search", "add_to_cart", "login", "logout", "purchase");

  private final Path folder;
  private final Random random;
  /** Valid event id -> its line (the first copy). */
  private final Map<String, String> valid = new TreeMap<>();
  /** Valid event id -> every source position (path:line) of it or a copy. */
  private final Map<String, List<String>> positions = new TreeMap<>();
  /** Expected dead letters: source position -> reason. */
  final Map<String, String> deadLetters = new TreeMap<>();
  private final List<String> names = new ArrayList<>();
  private int records;
  private int nextId;

  HotFolderDrops(Path folder, long seed) {
    this.folder = folder;
    this.random = new Random(seed);
  }

  /** Writes the next file, {@code lines} records under a header, and renames it into the hot folder. */
  String drop(int lines) throws IOException {
    String name = String.format("events-%05d.csv", names.size());
    List<String> content = new ArrayList<>(List.of(HEADER));
    for (int i = 0; i < lines; i++) {
      String position = folder.toAbsolutePath() + "/" + name + ":" + (content.size() + 1);
      content.add(nextLine(position));
    }
    Path temporary = folder.resolve("." + name + ".tmp");
    Files.write(temporary, content, StandardCharsets.UTF_8);
    Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    names.add(name);
    records += lines;
    return name;
  }

  private String nextLine(String position) {
    int kind = random.nextInt(100);
    if (kind < 8 && !valid.isEmpty()) {
      List<String> ids = new ArrayList<>(valid.keySet());
      String id = ids.get(random.nextInt(ids.size()));
      positions.get(id).add(position);
      return valid.get(id);
    }
    String user = "user-" + random.nextInt(12);
    String time = BASE.plusMillis(random.nextInt((int) Duration.ofMinutes(20).toMillis())).toString();
    if (kind < 16) {
      String id = String.format("bad-%06d", nextId++);
      switch (random.nextInt(4)) {
        case 0:
          deadLetters.put(position, "unknown_event_type");
          return line(id, user, "teleport", time, "");
        case 1:
          deadLetters.put(position, "invalid_timestamp");
          return line(id, user, "view", "yesterday", "");
        case 2:
          deadLetters.put(position, "purchase_without_price");
          return line(id, user, "purchase", time, "");
        default:
          deadLetters.put(position, "malformed_record");
          return id + "," + user + ",only three columns";
      }
    }
    String id = String.format("e-%06d", nextId++);
    String type = TYPES.get(random.nextInt(TYPES.size()));
    String line = line(id, user, type, time, type.equals("purchase") ? (1 + random.nextInt(300)) + ".50" : "");
    valid.put(id, line);
    positions.put(id, new ArrayList<>(List.of(position)));
    return line;
  }

  private static String line(String id, String user, String type, String time, String price) {
    return String.join(",", id, user, type, time, "prod-00001", "books", price, "EUR", "web", "DE", "sess-1");
  }

  /** Expected user_event_counts, {@code window_start|user|type -> count}: each distinct event once. */
  Map<String, Long> expectedCounts() {
    return ExpectedCounts.of(valid.values(), WINDOW);
  }

  /** Valid event id -> the source positions its user_events row may name (the copy stored first wins). */
  Map<String, List<String>> eventPositions() {
    return positions;
  }

  /** Names of the files dropped so far. */
  List<String> names() {
    return names;
  }

  /** Records (lines under the headers) in the files dropped so far. */
  int records() {
    return records;
  }
}
