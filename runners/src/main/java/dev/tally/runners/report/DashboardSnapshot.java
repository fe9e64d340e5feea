package dev.tally.runners.report;

import dev.tally.pipelines.report.UserRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * What the dashboard shows at one moment, read from PostgreSQL by {@link DashboardQueries}.
 *
 * @param eventsPerWindow the latest windows: window start -> event type -> events
 * @param latestWindows per event type, its latest window
 * @param topUsers the users with the most events in those windows, most first
 * @param deadLettersPerMinute dead letters per minute (UTC) in the hour up to the latest one
 */
public record DashboardSnapshot(
    Instant generatedAt,
    SortedMap<Instant, Map<String, Long>> eventsPerWindow,
    List<LatestWindow> latestWindows,
    List<UserRow> topUsers,
    SortedMap<Instant, Long> deadLettersPerMinute) {

  /** An event type's latest window and its events. */
  public record LatestWindow(String eventType, Instant windowStart, Instant windowEnd, long events) {}

  /** Event types in name order: the series order of the charts. */
  public List<String> eventTypes() {
    TreeSet<String> types = new TreeSet<>();
    eventsPerWindow.values().forEach(byType -> types.addAll(byType.keySet()));
    topUsers.forEach(user -> types.addAll(user.eventsByType().keySet()));
    return List.copyOf(types);
  }

  public long deadLettersInLastHour() {
    return deadLettersPerMinute.values().stream().mapToLong(Long::longValue).sum();
  }
}
