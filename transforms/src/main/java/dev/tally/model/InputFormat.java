package dev.tally.model;

import java.util.Locale;

/** How raw records are encoded: CSV lines under a header line, or one JSON object per line. */
public enum InputFormat {
  CSV,
  JSONL;

  /** Case-insensitive lookup with a message that lists the choices. */
  public static InputFormat parse(String name) {
    for (InputFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "Unknown format '" + name + "': use csv or jsonl");
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
