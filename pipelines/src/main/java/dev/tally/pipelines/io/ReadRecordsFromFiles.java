package dev.tally.pipelines.io;

import dev.tally.schema.EventSchema;
import dev.tally.model.RawRecord;
import dev.tally.transforms.ParseEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads every line of the matching files as a {@link RawRecord} with its file and 1-based line number. In CSV
 * files line 1 is the header: it is not a record, and travels with each record so columns may come in any
 * order. Compressed files (.gz, .bz2, ...) are decompressed by extension.
 *
 * <p>Files whose name starts with {@code _} or {@code .} are skipped, as Hadoop and Spark do: they are
 * manifests, markers and files still being written (e.g. {@code _MANIFEST.json}).
 *
 * <p>A file that cannot be read to its end (a truncated or corrupt gzip file) fails the run with an {@link
 * UnreadableInputFile} naming it: its remaining records are unknown, so none of them can be accounted for.
 *
 * <p>Lines are read whole, so a record over the size limit still reaches the dead letters intact. Each file
 * is read by one worker: split big inputs into several files for parallelism.
 */
public class ReadRecordsFromFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final String filepattern;
  private final EventSchema schema;

  public ReadRecordsFromFiles(String filepattern, EventSchema schema) {
    this.filepattern = filepattern;
    this.schema = schema;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("SkipHiddenFiles", Filter.by(metadata -> !isHidden(metadata.resourceId())))
        .apply("OpenFiles", FileIO.readMatches().withCompression(Compression.AUTO))
        .apply("ReadLines", ParDo.of(new ReadLinesFn(schema)));
  }

  /** True for names starting with {@code _} or {@code .}: not input, by Hadoop's convention. */
  public static boolean isHidden(ResourceId file) {
    String name = file.getFilename();
    return name != null && (name.startsWith("_") || name.startsWith("."));
  }

  private static final class ReadLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final EventSchema schema;

    ReadLinesFn(EventSchema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      try (InputStream in = Channels.newInputStream(file.open())) {
        readRecords(in, file.getMetadata().resourceId().toString(), schema, out::output);
      }
    }
  }

  /**
   * Every line of {@code in} as a {@link RawRecord} of {@code origin} with its 1-based line number; a CSV header
   * (line 1) is not a record but travels with each one. Shared with the streaming path's hot folder.
   */
  public static void readRecords(InputStream in, String origin, EventSchema schema, Consumer<RawRecord> out)
      throws IOException {
    // Undecodable bytes become U+FFFD rather than failing the whole file; ParseEvents dead-letters such lines.
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = null;
    long lineNumber = 0;
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
          line = line.substring(1);
        }
        if (lineNumber == 1 && schema.format().isCsv() && schema.format().header()) {
          header = line;
          if (ParseEvents.csvHeaderProblem(schema, header).isEmpty()) {
            continue;
          }
          // Not a usable header, so maybe data: it goes on as a record and gets dead-lettered.
        }
        out.accept(new RawRecord(line, origin, lineNumber, header));
      }
    } catch (IOException e) {
      // A truncated or corrupt compressed file: without the file's name the runner's error says only "EOF".
      throw new UnreadableInputFile(origin, lineNumber, e);
    }
  }
}
