package dev.tally.generator;

import dev.tally.model.InputFormat;
import java.util.Locale;

/**
 * How the generator encodes records: CSV lines (under a header line when the schema has one), or one JSON object
 * per line.
 */
public enum OutputFormat {
  CSV(".csv", InputFormat.CSV),
  JSONL(".jsonl", InputFormat.JSONL);

  private final String suffix;
  private final InputFormat inputFormat;

  OutputFormat(String suffix, InputFormat inputFormat) {
    this.suffix = suffix;
    this.inputFormat = inputFormat;
  }

  /** The file name suffix, before any {@code .gz}: {@code .csv} or {@code .jsonl}. */
  public String suffix() {
    return suffix;
  }

  /** The lower-case name used on the command line and in the manifest. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The pipeline's name for this encoding. */
  public InputFormat inputFormat() {
    return inputFormat;
  }

  /** The generator's name for a pipeline encoding. */
  public static OutputFormat of(InputFormat inputFormat) {
    for (OutputFormat format : values()) {
      if (format.inputFormat == inputFormat) {
        return format;
      }
    }
    throw new IllegalArgumentException("no output format for " + inputFormat);
  }

  /** Case-insensitive lookup; the message lists the choices. */
  public static OutputFormat parse(String name) {
    for (OutputFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException("format (--format) must be csv or jsonl, got '" + name + "'");
  }
}
