package dev.tally.testing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.schema.EventSchema;
import dev.tally.transforms.ParseEvents;
import dev.tally.transforms.ValidateEvents;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The bad-input corpus under {@code src/test/resources/bad-input}: one file per class of bad input and
 * {@code manifest.json}, which gives each class's schema, the paths it applies to (batch files, streaming record
 * values) and the exact outcome of every record: valid with its canonical field values, or a dead letter with
 * {@code stage/reason}. Records are compared as outcome lines ({@link #outcome(Event)}, {@link
 * #outcome(DeadLetter)}), so one {@code PAssert} checks every record of every class.
 */
public final class BadInputCorpus {
  private static final String FOLDER = "/bad-input/";
  private static final ObjectMapper JSON = new ObjectMapper();
  // Raw payloads longer than this are compared by length and SHA-256, to keep failure messages readable.
  private static final int SHOWN_RAW_CHARS = 1000;

  private BadInputCorpus() {}

  /**
   * One class of bad input.
   *
   * @param records every record of the file and its outcome; null for a file whose run must fail
   * @param fails for a file that fails the run: what is wrong with it (truncated, corrupt)
   */
  public record BadInputClass(
      @JsonProperty("class") String className,
      String description,
      String outcome,
      String file,
      String schema,
      List<String> paths,
      List<ExpectedRecord> records,
      String fails) {

    public boolean onPath(String path) {
      return paths.contains(path);
    }

    public EventSchema eventSchema() {
      return EventSchema.builtIn(schema);
    }
  }

  /**
   * @param line the record's 1-based line in the file (its Kafka offset on the streaming path)
   * @param valid the event's canonical values when the record is valid, else null
   * @param dead {@code stage/reason} when the record is a dead letter, else null
   */
  public record ExpectedRecord(int line, List<String> valid, String dead) {}

  public static List<BadInputClass> classes() {
    try (InputStream in = resource("manifest.json")) {
      return JSON.readValue(in, new TypeReference<List<BadInputClass>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's bytes exactly as stored (still compressed for .gz). */
  public static byte[] bytes(BadInputClass badInput) {
    try (InputStream in = resource(badInput.file())) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the class's file into a folder, for readers that take a path. */
  public static Path copyTo(BadInputClass badInput, Path folder) throws IOException {
    return Files.write(folder.resolve(badInput.file()), bytes(badInput));
  }

  /**
   * The file's lines as a producer that splits on {@code \n} would send them to Kafka: decoded as Kafka's
   * StringDeserializer decodes (UTF-8, undecodable bytes as U+FFFD), a CR before the newline kept. Index 0 is line 1.
   */
  public static List<String> kafkaValues(BadInputClass badInput) {
    byte[] content = decompressed(badInput);
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(new String(Arrays.copyOfRange(content, start, i), StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < content.length) {
      lines.add(new String(Arrays.copyOfRange(content, start, content.length), StandardCharsets.UTF_8));
    }
    return lines;
  }

  /**
   * The file's lines as the batch reader sees them: decompressed, decoded as UTF-8 (undecodable bytes as U+FFFD),
   * split at CR, LF or CRLF, a byte order mark before line 1 dropped. Index 0 is line 1.
   */
  public static List<String> fileLines(BadInputClass badInput) {
    String text = new String(decompressed(badInput), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return new BufferedReader(new StringReader(text)).lines().toList();
  }

  private static byte[] decompressed(BadInputClass badInput) {
    byte[] content = bytes(badInput);
    if (!badInput.file().endsWith(".gz")) {
      return content;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome line the manifest expects for a record read at {@code source} with payload {@code raw}. */
  public static String expected(ExpectedRecord record, String source, String raw) {
    if (record.valid() != null) {
      return source + " | valid | " + toJson(record.valid());
    }
    return source + " | " + record.dead() + " | " + shown(raw);
  }

  public static String outcome(Event event) {
    return event.source() + " | valid | " + toJson(event.values());
  }

  public static String outcome(DeadLetter letter) {
    return letter.source() + " | " + letter.stage().code() + "/" + letter.reason().code() + " | " + shown(letter.raw());
  }

  /** ParseEvents then ValidateEvents with one schema; every record's outcome line, valid or dead letter. */
  public static PTransform<PCollection<RawRecord>, PCollection<String>> parseAndValidate(EventSchema schema) {
    return new PTransform<>() {
      @Override
      public PCollection<String> expand(PCollection<RawRecord> records) {
        WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
            records.apply(new ParseEvents(schema, ParseEvents.DEFAULT_MAX_RECORD_BYTES));
        WithFailures.Result<PCollection<Event>, DeadLetter> validated =
            parsed.output().apply(new ValidateEvents(schema));
        return PCollectionList.of(
                validated.output().apply("ValidOutcome",
                    MapElements.into(TypeDescriptors.strings()).via(BadInputCorpus::outcome)))
            .and(PCollectionList.of(parsed.failures())
                .and(validated.failures())
                .apply("AllDeadLetters", Flatten.pCollections())
                .apply("DeadLetterOutcome",
                    MapElements.into(TypeDescriptors.strings()).via(BadInputCorpus::outcome)))
            .apply("AllOutcomes", Flatten.pCollections());
      }
    };
  }

  /**
   * For {@code PAssert.that(outcomes).satisfies(...)}: the outcome lines are exactly {@code expected} (as a
   * multiset); a failure lists only the missing and the unexpected lines, not the whole corpus.
   */
  public static SerializableFunction<Iterable<String>, Void> exactly(List<String> expected) {
    List<String> wanted = List.copyOf(expected);
    return actual -> {
      List<String> missing = new ArrayList<>(wanted);
      List<String> unexpected = new ArrayList<>();
      for (String line : actual) {
        if (!missing.remove(line)) {
          unexpected.add(line);
        }
      }
      if (!missing.isEmpty() || !unexpected.isEmpty()) {
        throw new AssertionError(
            "outcomes differ from the manifest\n missing:\n  " + String.join("\n  ", missing)
                + "\n unexpected:\n  " + String.join("\n  ", unexpected));
      }
      return null;
    };
  }

  private static String shown(String raw) {
    if (raw.length() <= SHOWN_RAW_CHARS) {
      return toJson(raw);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      return raw.length() + " chars, SHA-256 " + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = BadInputCorpus.class.getResourceAsStream(FOLDER + name);
    if (in == null) {
      throw new IllegalStateException("corpus file " + FOLDER + name + " is missing from the test resources");
    }
    return in;
  }
}
