package dev.tally.pipelines.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a report shows, aggregated from a batch output folder or from PostgreSQL: events per window and event
 * type, events per user and event type (summed over windows), dead letters by reason with a few examples each,
 * and the runs. Built with {@link #builder}; both sources feed the same sums.
 *
 * @param source where the data came from, for the reader (never holds a password)
 * @param countRows rows of the counts table (one per window, user and event type)
 */
public record ReportData(
    String source,
    Instant generatedAt,
    long countRows,
    SortedMap<Instant, Map<String, Long>> eventsPerWindow,
    Map<String, Map<String, Long>> eventsPerUser,
    SortedMap<String, Long> deadLettersByReason,
    SortedMap<String, List<DeadLetterExample>> deadLetterExamples,
    List<RunRecord> runs) {

  /** Dead letters shown per reason. */
  public static final int EXAMPLES_PER_REASON = 3;

  public static Builder builder(String source) {
    return new Builder(source);
  }

  /** Every event type seen in the counts, in name order (the series order of every chart). */
  public List<String> eventTypes() {
    TreeMap<String, Boolean> types = new TreeMap<>();
    eventsPerUser.values().forEach(byType -> byType.keySet().forEach(type -> types.put(type, true)));
    eventsPerWindow.values().forEach(byType -> byType.keySet().forEach(type -> types.put(type, true)));
    return List.copyOf(types.keySet());
  }

  /** Every user, most events first (ties by user id). */
  public List<UserRow> users() {
    List<UserRow> rows = new ArrayList<>();
    eventsPerUser.forEach(
        (user, byType) ->
            rows.add(new UserRow(user, byType, byType.values().stream().mapToLong(Long::longValue).sum())));
    rows.sort(UserRow.MOST_EVENTS_FIRST);
    return rows;
  }

  /** Events of each type over all windows. */
  public Map<String, Long> eventsPerType() {
    Map<String, Long> totals = new TreeMap<>();
    eventsPerUser.values().forEach(byType -> byType.forEach((type, events) -> totals.merge(type, events, Long::sum)));
    return totals;
  }

  public long totalEvents() {
    return eventsPerType().values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalDeadLetters() {
    return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Collects sums row by row; a key added twice is summed. */
  public static final class Builder {
    private final String source;
    private long countRows;
    private final SortedMap<Instant, Map<String, Long>> eventsPerWindow = new TreeMap<>();
    private final Map<String, Map<String, Long>> eventsPerUser = new HashMap<>();
    private final SortedMap<String, Long> deadLettersByReason = new TreeMap<>();
    private final SortedMap<String, List<DeadLetterExample>> examples = new TreeMap<>();
    private final List<RunRecord> runs = new ArrayList<>();

    private Builder(String source) {
      this.source = source;
    }

    /** One row of the counts table: adds to its window's and its user's sums. */
    public Builder addCount(Instant windowStart, String userId, String eventType, long events) {
      countRows++;
      addWindowEvents(windowStart, eventType, events);
      return addUserEvents(userId, eventType, events);
    }

    /** Events of {@code eventType} in the window starting at {@code windowStart}. */
    public Builder addWindowEvents(Instant windowStart, String eventType, long events) {
      eventsPerWindow.computeIfAbsent(windowStart, w -> new TreeMap<>()).merge(eventType, events, Long::sum);
      return this;
    }

    /** Events of {@code eventType} by {@code userId}. */
    public Builder addUserEvents(String userId, String eventType, long events) {
      eventsPerUser.computeIfAbsent(userId, u -> new TreeMap<>()).merge(eventType, events, Long::sum);
      return this;
    }

    /** For sources that sum in a query: the number of count rows. */
    public Builder addCountRows(long rows) {
      countRows += rows;
      return this;
    }

    public Builder addDeadLetters(String reason, long count) {
      deadLettersByReason.merge(reason, count, Long::sum);
      return this;
    }

    /** Keeps the first {@link #EXAMPLES_PER_REASON} examples of each reason. */
    public Builder addExample(DeadLetterExample example) {
      List<DeadLetterExample> kept = examples.computeIfAbsent(example.reason(), r -> new ArrayList<>());
      if (kept.size() < EXAMPLES_PER_REASON) {
        kept.add(example);
      }
      return this;
    }

    public Builder addRun(RunRecord run) {
      runs.add(run);
      return this;
    }

    public ReportData build() {
      Map<String, Map<String, Long>> users = new LinkedHashMap<>();
      eventsPerUser.forEach((user, byType) -> users.put(user, Collections.unmodifiableMap(new TreeMap<>(byType))));
      SortedMap<String, List<DeadLetterExample>> kept = new TreeMap<>();
      examples.forEach((reason, list) -> kept.put(reason, List.copyOf(list)));
      return new ReportData(
          source,
          Instant.now(),
          countRows,
          Collections.unmodifiableSortedMap(new TreeMap<>(eventsPerWindow)),
          Collections.unmodifiableMap(users),
          Collections.unmodifiableSortedMap(new TreeMap<>(deadLettersByReason)),
          Collections.unmodifiableSortedMap(kept),
          List.copyOf(runs));
    }
  }
}
