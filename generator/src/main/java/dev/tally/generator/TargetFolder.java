package dev.tally.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The folder generated files go to: a local folder, or a folder on a Hadoop file system such as
 * {@code hdfs://127.0.0.1:8020/tally/events}. Files are written under a temporary name and renamed, which is
 * atomic on both, so a reader never sees a partial file.
 */
public interface TargetFolder {

  /**
   * A local path, or a URI with a scheme other than {@code file} for a Hadoop file system.
   *
   * @throws IllegalArgumentException if {@code location} is neither
   */
  static TargetFolder of(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("outputDir (--output) must be set");
    }
    int scheme = location.indexOf("://");
    if (scheme > 0 && !location.startsWith("file://")) {
      try {
        return new HadoopFolder(new URI(location));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("outputDir (--output) is not a valid URI: " + e.getMessage());
      }
    }
    try {
      return new LocalFolder(scheme > 0 ? Path.of(URI.create(location)) : Path.of(location));
    } catch (IllegalArgumentException e) { // InvalidPathException included
      throw new IllegalArgumentException("outputDir (--output) is not a valid path: " + e.getMessage());
    }
  }

  /** The folder itself, as given (a path or a URI). */
  String location();

  /** The full location of file {@code name} in this folder; readers see this as the record's source. */
  String locationOf(String name);

  /** Creates the folder (and its parents) if missing; fails if it is a file. */
  void create() throws IOException;

  /** Names of the regular files directly in the folder. */
  List<String> fileNames() throws IOException;

  /** A new file, replacing one of the same name. */
  OutputStream newFile(String name) throws IOException;

  /** Renames {@code from} to {@code to} atomically; {@code to} must not exist. */
  void rename(String from, String to) throws IOException;

  long size(String name) throws IOException;

  /** Deletes {@code name} if it exists. */
  void delete(String name) throws IOException;
}
