package dev.tally.pipelines.io.hotfolder;

import dev.tally.model.RawRecord;
import dev.tally.pipelines.io.ReadRecordsFromFiles;
import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Every line of every file that appears in a {@link HotFolder}, as a {@link RawRecord} of
 * {@code <hot folder>/<name>} and its line number, like the batch path's {@link ReadRecordsFromFiles}. The folder
 * is listed every {@code pollInterval} by Beam's {@link Watch} (never terminating), each name read once;
 * files are archived by {@link PollHotFolder}.
 */
public class ReadRecordsFromHotFolder extends PTransform<PBegin, PCollection<RawRecord>> {
  private final HotFolder folder;
  private final EventSchema schema;
  private final Duration pollInterval;
  private final Duration archiveAfter;

  public ReadRecordsFromHotFolder(HotFolder folder, EventSchema schema, Duration pollInterval, Duration archiveAfter) {
    this.folder = folder;
    this.schema = schema;
    this.pollInterval = pollInterval;
    this.archiveAfter = archiveAfter;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("HotFolder", Create.of(folder.folder() + "/" + folder.fileGlob()))
        .apply(
            "WatchHotFolder",
            Watch.growthOf(new PollHotFolder(folder, archiveAfter))
                .withPollInterval(pollInterval)
                .withTerminationPerInput(Watch.Growth.never())
                .withOutputCoder(StringUtf8Coder.of()))
        .apply("FileNames", Values.create())
        .apply("ReadLines", ParDo.of(new ReadFileFn(folder, schema)));
  }

  private static final class ReadFileFn extends DoFn<String, RawRecord> {
    private final HotFolder folder;
    private final EventSchema schema;

    ReadFileFn(HotFolder folder, EventSchema schema) {
      this.folder = folder;
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element String name, OutputReceiver<RawRecord> out) throws IOException {
      // Decompressed by extension (.gz, ...), as the batch path does.
      try (InputStream in = Channels.newInputStream(Compression.detect(name).readDecompressed(folder.open(name)))) {
        ReadRecordsFromFiles.readRecords(in, folder.file(name).toString(), schema, out::output);
      }
    }
  }
}
