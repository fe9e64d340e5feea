package dev.tally.generator;

import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Generates synthetic events of a schema with known ground truth: valid events, late events, exact duplicates
 * (when the schema has an event id) and invalid records with exactly one defect each (see {@link RecordKind}).
 * The output is a function of the config alone: the same config (and seed) writes byte-identical files and
 * manifest.
 *
 * <p>Files are {@code events-00000.csv} (or {@code .jsonl}, plus {@code .gz}), each written under a hidden
 * temporary name ({@code .events-00000.csv.tmp}) and moved into place atomically when complete; the manifest
 * {@code _MANIFEST.json} is written last, the same way.
 */
public final class EventGenerator {
  private static final int BUFFER_BYTES = 1 << 16;

  private EventGenerator() {}

  /**
   * Writes the files and the manifest and returns every record. Holds all records in memory: for large runs use
   * {@link #write(GeneratorConfig)}.
   *
   * @throws FileAlreadyExistsException if the output folder holds events-* files or a manifest and
   *     {@link GeneratorConfig#overwrite()} is false
   */
  public static GeneratedData generate(GeneratorConfig config) throws IOException {
    List<GeneratedRecord> records = new ArrayList<>(config.events());
    Manifest manifest = write(config, records::add);
    List<String> files = new ArrayList<>(config.files());
    for (int file = 0; file < config.files(); file++) {
      files.add(config.fileLocation(file));
    }
    return new GeneratedData(records, files, config.manifestLocation(), manifest);
  }

  /** Writes the files and the manifest, streaming: memory use does not grow with the record count. */
  public static Manifest write(GeneratorConfig config) throws IOException {
    return write(config, record -> {});
  }

  /**
   * Writes the files and the manifest, passing each record to {@code listener} right after writing it.
   *
   * @throws FileAlreadyExistsException if the output folder holds events-* files or a manifest and
   *     {@link GeneratorConfig#overwrite()} is false
   * @throws IllegalArgumentException if the schema's generator hints make values its own rules reject; nothing is
   *     written then
   */
  public static Manifest write(GeneratorConfig config, Consumer<? super GeneratedRecord> listener)
      throws IOException {
    Plan plan = new Plan(config);
    RecordFactory factory = new RecordFactory(plan);
    TargetFolder folder = config.target();
    prepareOutputDir(config, folder);
    Counts counts = new Counts(config.schema().eventTypes());
    List<Manifest.FileEntry> entries = new ArrayList<>(config.files());
    for (int file = 0; file < config.files(); file++) {
      String name = config.fileName(file);
      String temporary = temporaryName(name);
      String source = folder.locationOf(name);
      int from = chunkStart(config, file);
      int to = chunkStart(config, file + 1);
      long lineNumber = 0;
      try (Writer writer = open(folder.newFile(temporary), config.gzip())) {
        if (factory.header() != null) {
          writer.write(factory.header());
          writer.write('\n');
          lineNumber++;
        }
        for (int position = from; position < to; position++) {
          GeneratedRecord record = factory.record(position, source, ++lineNumber);
          writer.write(record.line());
          writer.write('\n');
          counts.add(record);
          listener.accept(record);
        }
      } catch (IOException | RuntimeException e) {
        folder.delete(temporary);
        throw e;
      }
      folder.rename(temporary, name);
      entries.add(new Manifest.FileEntry(name, to - from, lineNumber, folder.size(name)));
    }
    Manifest manifest = new Manifest(Manifest.Config.of(config, plan.injectedReasons), entries, counts.totals());
    String temporary = temporaryName(GeneratorConfig.MANIFEST_NAME);
    try (OutputStream out = folder.newFile(temporary)) {
      out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
    }
    folder.rename(temporary, GeneratorConfig.MANIFEST_NAME);
    return manifest;
  }

  /** Every record, in output order, without writing anything. */
  public static List<GeneratedRecord> records(GeneratorConfig config) {
    List<GeneratedRecord> records = new ArrayList<>(config.events());
    forEachRecord(config, records::add);
    return records;
  }

  /**
   * Passes every record, in output order, to {@code action} without writing anything. The records, file paths
   * and line numbers are those {@link #write} would write.
   */
  public static void forEachRecord(GeneratorConfig config, Consumer<? super GeneratedRecord> action) {
    Plan plan = new Plan(config);
    RecordFactory factory = new RecordFactory(plan);
    long firstLine = factory.header() != null ? 2 : 1;
    for (int file = 0; file < config.files(); file++) {
      String target = config.fileLocation(file);
      long lineNumber = firstLine;
      for (int position = chunkStart(config, file); position < chunkStart(config, file + 1); position++) {
        action.accept(factory.record(position, target, lineNumber++));
      }
    }
  }

  /** The totals a list of records of {@code schema} adds up to, as in the manifest. */
  public static Manifest.Totals totals(EventSchema schema, List<GeneratedRecord> records) {
    Counts counts = new Counts(schema.eventTypes());
    records.forEach(counts::add);
    return counts.totals();
  }

  /** The 0-based position of the first record of a file; records are split into near-equal chunks. */
  private static int chunkStart(GeneratorConfig config, int file) {
    return (int) ((long) file * config.events() / config.files());
  }

  /** The hidden name a file is written under until it is complete: {@code .events-00000.csv.tmp}. */
  static String temporaryName(String name) {
    return "." + name + ".tmp";
  }

  private static Writer open(OutputStream file, boolean gzip) throws IOException {
    OutputStream out = file;
    try {
      if (gzip) {
        out = new GZIPOutputStream(out, BUFFER_BYTES);
      }
      return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_BYTES);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Creates the output folder, and refuses one that holds an earlier run's files unless overwrite is set, in
   * which case it deletes them (the manifest first, so it never describes missing files).
   */
  private static void prepareOutputDir(GeneratorConfig config, TargetFolder folder) throws IOException {
    folder.create();
    List<String> earlier = folder.fileNames().stream().filter(EventGenerator::isOutput).toList();
    List<String> conflicting = earlier.stream().filter(name -> !name.startsWith(".")).toList();
    if (conflicting.isEmpty() && !config.overwrite()) {
      return;
    }
    if (!config.overwrite()) {
      String names =
          conflicting.stream().limit(3).collect(Collectors.joining(", "))
              + (conflicting.size() > 3 ? " and " + (conflicting.size() - 3) + " more" : "");
      throw new FileAlreadyExistsException(
          folder.location(),
          null,
          "the output folder already holds files of an earlier run (" + names
              + "); use --overwrite (GeneratorConfig.overwrite) to replace them, or another folder");
    }
    folder.delete(GeneratorConfig.MANIFEST_NAME);
    for (String name : earlier) {
      folder.delete(name);
    }
  }

  /** Names of files a run writes: events-*, the manifest, and their hidden temporary names. */
  private static boolean isOutput(String name) {
    String visible = name.startsWith(".") && name.endsWith(".tmp") ? name.substring(1, name.length() - 4) : name;
    return visible.startsWith(GeneratorConfig.FILE_PREFIX) || visible.equals(GeneratorConfig.MANIFEST_NAME);
  }

  /** Running totals by kind, reason and event type. */
  static final class Counts {
    private long records;
    private long validUnique;
    private long duplicates;
    private long late;
    private long invalid;
    private final long[] byReason = new long[ReasonCode.values().length];
    private final Map<String, Long> byType = new LinkedHashMap<>();

    /** @param eventTypes Tally's event types, each listed in the totals even when it has no event */
    Counts(List<String> eventTypes) {
      eventTypes.forEach(type -> byType.put(type, 0L));
    }

    void add(GeneratedRecord record) {
      records++;
      switch (record.kind()) {
        case VALID:
          validUnique++;
          byType.merge(record.eventType(), 1L, Long::sum);
          break;
        case LATE:
          validUnique++;
          late++;
          byType.merge(record.eventType(), 1L, Long::sum);
          break;
        case DUPLICATE:
          duplicates++;
          break;
        case INVALID:
          invalid++;
          byReason[record.reason().ordinal()]++;
          break;
        default:
          throw new AssertionError(record.kind());
      }
    }

    Manifest.Totals totals() {
      Map<String, Long> invalidByReason = new LinkedHashMap<>();
      for (ReasonCode reason : ReasonCode.values()) {
        if (byReason[reason.ordinal()] > 0) {
          invalidByReason.put(reason.code(), byReason[reason.ordinal()]);
        }
      }
      return new Manifest.Totals(
          records, validUnique, duplicates, late, invalid, invalidByReason, new LinkedHashMap<>(byType));
    }
  }
}
