package dev.tally.pipelines.report;

import java.util.Comparator;
import java.util.Map;

/** One user's events per event type, summed over all windows. */
public record UserRow(String userId, Map<String, Long> eventsByType, long total) {
  /** Most events first, ties by user id: the order of the top-users chart, the table and the CSV. */
  public static final Comparator<UserRow> MOST_EVENTS_FIRST =
      Comparator.comparingLong(UserRow::total).reversed().thenComparing(UserRow::userId);

  public long events(String eventType) {
    return eventsByType.getOrDefault(eventType, 0L);
  }
}
