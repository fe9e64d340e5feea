package dev.tally.pipelines.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.commons.text.StringEscapeUtils;

/** The page frame and formatting shared by the report and the dashboard: one inline style sheet, no external file. */
public final class Html {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final String STYLE =
      """
      body { font-family: sans-serif; margin: 1.5em auto; max-width: 1000px; color: #222; padding: 0 1em; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
      h3 { font-size: 1em; margin-bottom: 0.3em; }
      .meta { color: #555; margin-top: 0; }
      .figures { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 1em 0; }
      .figure { border: 1px solid #ccc; border-radius: 4px; padding: 0.3em 0.7em; min-width: 6.5em; }
      .figure b { display: block; font-size: 1.4em; }
      svg { display: block; max-width: 100%; height: auto; margin: 0.8em 0; }
      table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
      td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
      td.path { word-break: break-all; max-width: 16em; }
      pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 0.4em; margin: 0.2em 0;
            max-width: 60em; }
      .note { color: #555; font-size: 0.9em; }
      .error { color: #a00; font-weight: bold; }
      """;

  private Html() {}

  /** Text safe inside an element or a double-quoted attribute; null becomes empty. */
  public static String escape(String text) {
    return text == null ? "" : StringEscapeUtils.escapeHtml4(text);
  }

  /** A whole page: {@code head} and {@code body} are HTML, the title is text. */
  public static String page(String title, String head, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // No favicon request: the page needs nothing from a server (and a 404 would be a console error).
        + "<link rel=\"icon\" href=\"data:,\">\n"
        + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n" + head
        + "</head>\n<body>\n" + body + "</body>\n</html>\n";
  }

  public static String number(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** A nullable count: empty when unknown. */
  public static String number(Long value) {
    return value == null ? "" : number(value.longValue());
  }

  /** An instant in UTC, e.g. {@code 2026-11-23 10:00:00 UTC}; empty for null. */
  public static String time(Instant instant) {
    return instant == null ? "" : UTC_TIME.format(instant);
  }

  /** A headline figure: a big number over its label. */
  public static String figure(String label, long value) {
    return "<div class=\"figure\"><b>" + number(value) + "</b>" + escape(label) + "</div>\n";
  }
}
