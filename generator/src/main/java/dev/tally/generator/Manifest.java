package dev.tally.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.tally.model.ReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of one generator run, written as {@code _MANIFEST.json} (snake_case keys) next to the data
 * files. It holds no absolute path and no wall-clock time: the same config writes the same manifest.
 * Invariant: {@code totals.records = totals.valid_unique + totals.duplicates + totals.invalid}.
 *
 * @param config the options that shaped the data (the output folder is left out)
 * @param files the data files in order, with their record counts
 * @param totals what was injected
 */
public record Manifest(Config config, List<FileEntry> files, Totals totals) {

  public Manifest {
    files = List.copyOf(files);
  }

  /**
   * The generator options.
   *
   * @param schema the schema's name, e.g. {@code default} or {@code rees46}
   * @param start ISO-8601 instant, e.g. {@code 2026-11-23T00:00:00Z}
   * @param span ISO-8601 duration, e.g. {@code PT24H}
   * @param format {@code csv} or {@code jsonl}
   * @param duplicateRate the share of duplicates written (0 when the schema has no event id; see notes)
   * @param injectedReasons the defects invalid records carry, in the order they are dealt out: the ones the
   *     schema's fields allow
   * @param notes how the schema changed what the options asked for, in plain words; empty when it did not
   */
  public record Config(
      String schema,
      int events,
      int users,
      String start,
      String span,
      String format,
      boolean gzip,
      int files,
      long seed,
      double invalidRate,
      double duplicateRate,
      double lateRate,
      List<String> injectedReasons,
      List<String> notes) {

    public Config {
      injectedReasons = List.copyOf(injectedReasons);
      notes = List.copyOf(notes);
    }

    static Config of(GeneratorConfig config, List<ReasonCode> injected) {
      List<String> notes = new ArrayList<>();
      if (config.writtenDuplicateRate() != config.duplicateRate()) {
        notes.add(noDuplicatesNote(config));
      }
      return new Config(
          config.schema().name(),
          config.events(),
          config.users(),
          config.start().toString(),
          config.span().toString(),
          config.format().code(),
          config.gzip(),
          config.files(),
          config.seed(),
          config.invalidRate(),
          config.writtenDuplicateRate(),
          config.lateRate(),
          injected.stream().map(ReasonCode::code).toList(),
          notes);
    }
  }

  /** Why a run of a schema without an event id writes no duplicates, for the manifest and the command line. */
  static String noDuplicatesNote(GeneratorConfig config) {
    return "no duplicates written (duplicate rate " + config.duplicateRate() + " asked): schema "
        + config.schema().name() + " has no event id, so a copy would count as another valid event";
  }

  /**
   * One data file.
   *
   * @param name the file name, relative to the output folder
   * @param records records in it (the CSV header is not a record)
   * @param lines lines in it: records, plus 1 for a CSV header line
   * @param bytes its size on disk (compressed size for .gz files)
   */
  public record FileEntry(String name, long records, long lines, long bytes) {}

  /**
   * Totals over all files.
   *
   * @param records every record written
   * @param validUnique distinct valid events (VALID + LATE): what the pipeline keeps after de-duplication
   * @param duplicates copies of earlier valid records
   * @param late valid events written 1 to 3 hours out of event-time order (included in validUnique)
   * @param invalid records with one defect each
   * @param invalidByReason invalid records by reason code; reasons not injected are left out
   * @param validUniqueByEventType distinct valid events by Tally event type (after the schema's mapping), every
   *     type of the schema listed
   */
  public record Totals(
      long records,
      long validUnique,
      long duplicates,
      long late,
      long invalid,
      Map<String, Long> invalidByReason,
      Map<String, Long> validUniqueByEventType) {}

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  // Fixed "\n" line ends, whatever the platform: the manifest must be byte-identical everywhere.
  static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter()
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  /** The manifest as pretty-printed JSON, ending with a newline. */
  public String toJson() {
    try {
      return WRITER.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses JSON written by {@link #toJson()}. */
  public static Manifest fromJson(String json) throws IOException {
    return MAPPER.readValue(json, Manifest.class);
  }

  /** Reads a {@code _MANIFEST.json} file. */
  public static Manifest read(Path file) throws IOException {
    return fromJson(Files.readString(file));
  }
}
