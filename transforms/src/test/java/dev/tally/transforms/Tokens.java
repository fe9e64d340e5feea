package dev.tally.transforms;

import java.util.List;

/** Values the property tests build records from: field texts that sit on validation's edges, and injections. */
final class Tokens {
  static final List<String> INJECTIONS =
      List.of(
          "'; DROP TABLE user_events; --",
          "Robert'); DELETE FROM dead_letters WHERE ('1'='1",
          "\\'; SELECT pg_sleep(10); --",
          "$$; TRUNCATE user_event_counts; $$",
          "<script>alert('x')</script>",
          "<img src=x onerror=\"alert(1)\">",
          "\"><svg/onload=alert(1)>",
          "{{7*7}} ${7*7} %s %n",
          "\u202Egnp.exe",
          "👩🏽‍💻 🦊");

  static final List<String> TYPES =
      List.of("view", "purchase", "search", "login", "teleport", "", "VIEW", "event_type", "SELECT");

  static final List<String> VALUES =
      List.of(
          "e1", "u1", "", " ", "2026-11-23T10:15:30Z", "2026-11-23T12:15:30+02:00", "0001-01-01T00:00:00Z",
          "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "2026-02-30T10:00:00Z", "1764022530",
          "1764022530.123456789", "1e400", "1e-400", "1E+2147483647", "0E-2147483647", "-0", "-0.01", "12.50",
          "NaN", "Infinity", "-Infinity", "1,234.50", "99999999999999.9999", "123456789012345", "0x1F",
          "\uFEFFe1", "dba001@example.com", "not-an-email", "SELECT", "orders", "\"", "\"\"", "\\", "null",
          "true", "event_id", "user_id", INJECTIONS.get(0), INJECTIONS.get(4));

  private Tokens() {}
}
