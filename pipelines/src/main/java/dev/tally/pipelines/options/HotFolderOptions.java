package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Which source the streaming path reads, and the hot folder's settings for {@code --source=files}. Not
 * {@link EventInputOptions}: there {@code --input} is required, here only with {@code --source=files}.
 */
public interface HotFolderOptions extends PipelineOptions {
  @Description("Where raw events come from: kafka (--topic) or files (a hot folder, --input).")
  @Default.String("kafka")
  String getSource();

  void setSource(String value);

  @Description(
      "With --source=files: the hot folder and the names to ingest, e.g. 'data/hot/*.csv' (wildcards in the file"
          + " name only). Each new file is read once, by name; names starting with _ or . are skipped.")
  String getInput();

  void setInput(String value);

  @Description("With --source=files: how often the hot folder is listed (ISO-8601 duration).")
  @Default.String("PT5S")
  String getPollInterval();

  void setPollInterval(String value);

  @Description(
      "With --source=files: where files are moved once older than --archiveAfter. Default: the folder 'archive'"
          + " inside the hot folder. It is listed with the hot folder, so a moved file is still read if it was not.")
  String getArchiveDir();

  void setArchiveDir(String value);

  @Description(
      "With --source=files: move a file to --archiveDir once its modification time is this long ago (ISO-8601"
          + " duration).")
  @Default.String("PT10M")
  String getArchiveAfter();

  void setArchiveAfter(String value);
}
