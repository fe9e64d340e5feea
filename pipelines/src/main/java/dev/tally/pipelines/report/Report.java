package dev.tally.pipelines.report;

import dev.tally.pipelines.UserError;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report into a local folder: {@value #HTML_FILE} (one self-contained page) and {@value #CSV_FILE} (the
 * user x event type table). Each file is written under a temporary name and renamed, so a reader never sees a
 * half-written report; an earlier report in the folder is replaced.
 */
public final class Report {
  public static final String HTML_FILE = "report.html";
  public static final String CSV_FILE = "user-event-types.csv";

  private Report() {}

  /**
   * @throws UserError if the folder cannot be created or written
   */
  public static ReportFiles write(ReportData data, Path folder) {
    try {
      Files.createDirectories(folder);
      Path html = folder.resolve(HTML_FILE);
      Path csv = folder.resolve(CSV_FILE);
      replace(csv, out -> UserEventTypeCsv.write(data, out));
      replace(html, out -> out.write(HtmlReport.render(data, CSV_FILE)));
      return new ReportFiles(html.toAbsolutePath(), csv.toAbsolutePath());
    } catch (IOException e) {
      throw new UserError(
          "cannot write the report into " + folder + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
              + "): choose a folder you may write to",
          e);
    }
  }

  /** Where {@link #write} puts the page in {@code folder}. */
  public static Path htmlFile(Path folder) {
    return folder.resolve(HTML_FILE).toAbsolutePath();
  }

  private interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private static void replace(Path file, Content content) throws IOException {
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      content.writeTo(out);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
