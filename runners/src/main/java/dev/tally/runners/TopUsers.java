package dev.tally.runners;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/** The users with the most events of each type, summed over all windows of a {@code counts/} output. */
final class TopUsers {
  record UserTotal(String userId, long events) {}

  private TopUsers() {}

  /** Event type -> its top {@code limit} users, most events first (ties by user id). */
  static Map<String, List<UserTotal>> byEventType(List<GenericRecord> countRows, int limit) {
    Map<String, Map<String, Long>> totals = new TreeMap<>();
    for (GenericRecord row : countRows) {
      totals
          .computeIfAbsent(row.get("event_type").toString(), t -> new HashMap<>())
          .merge(row.get("user_id").toString(), (Long) row.get("event_count"), Long::sum);
    }
    Map<String, List<UserTotal>> top = new TreeMap<>();
    totals.forEach(
        (type, perUser) -> {
          List<UserTotal> users = new ArrayList<>();
          perUser.forEach((user, events) -> users.add(new UserTotal(user, events)));
          users.sort(Comparator.comparingLong(UserTotal::events).reversed().thenComparing(UserTotal::userId));
          top.put(type, List.copyOf(users.subList(0, Math.min(limit, users.size()))));
        });
    return top;
  }
}
