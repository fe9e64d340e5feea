package dev.tally.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a batch run's output folder (local or {@code hdfs://}) into {@link ReportData}: {@code counts/} (Parquet),
 * {@code dead-letters/} (JSON Lines) and {@code _SUMMARY.json}. Only these three: the {@code events/} layout is
 * not part of a report.
 */
public final class OutputFolderSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputFolderSource() {}

  /**
   * @param folder a local path or a URI such as {@code hdfs://127.0.0.1:8020/tally/out}
   * @throws UserError if the folder is not a batch output folder
   */
  public static ReportData read(String folder) throws IOException {
    String location = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    Path root = new Path(location);
    FileSystem fs = root.getFileSystem(new Configuration());
    if (!fs.exists(new Path(root, "counts"))) {
      throw new UserError(
          "--input=" + folder + " is not a batch output folder: it has no counts/ (give the --output of a "
              + "./tally batch run)");
    }
    ReportData.Builder data = ReportData.builder("batch output folder " + location);
    for (GenericRecord row : ParquetFolder.readAll(location + "/counts")) {
      data.addCount(
          Instant.ofEpochMilli((Long) row.get("window_start")),
          row.get("user_id").toString(),
          row.get("event_type").toString(),
          (Long) row.get("event_count"));
    }
    readDeadLetters(fs, new Path(root, "dead-letters"), data);
    Path summary = new Path(root, RunSummary.FILE_NAME);
    if (fs.exists(summary)) {
      try (InputStream in = fs.open(summary)) {
        data.addRun(RunRecord.of(RunSummary.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
      }
    }
    return data.build();
  }

  /** Every {@code *.jsonl} file, in name order, line by line (a dead letter can be megabytes long). */
  private static void readDeadLetters(FileSystem fs, Path folder, ReportData.Builder data) throws IOException {
    if (!fs.exists(folder)) {
      return;
    }
    FileStatus[] files = fs.listStatus(folder, path -> path.getName().endsWith(".jsonl"));
    Arrays.sort(files);
    for (FileStatus file : files) {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode letter = JSON.readTree(line);
          String reason = letter.path("reason").asText();
          data.addDeadLetters(reason, 1);
          data.addExample(
              DeadLetterExample.of(
                  reason,
                  letter.path("raw").asText(),
                  letter.path("source").asText(),
                  letter.path("stage").asText(),
                  letter.path("message").asText(),
                  Instant.parse(letter.path("failed_at").asText())));
        }
      }
    }
  }
}
