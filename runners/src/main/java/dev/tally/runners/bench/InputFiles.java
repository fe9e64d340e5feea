package dev.tally.runners.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The local files a glob such as {@code /data/in/events-*} names (wildcards in the file name only), as Tally reads them. */
final class InputFiles {
  private InputFiles() {}

  /**
   * The matching files in name order, without {@code _*} and {@code .*} files (manifests, files being written), as
   * the pipeline skips them.
   *
   * @throws IOException if none match
   */
  static List<Path> matching(String glob) throws IOException {
    Path pattern = Path.of(glob).toAbsolutePath();
    Path dir = pattern.getParent();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
      for (Path file : entries) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(file);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException("no input file matches " + glob);
    }
    files.sort(null);
    return files;
  }

  /** A reader of the file's text, gunzipped when its name ends in .gz. */
  static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }
}
