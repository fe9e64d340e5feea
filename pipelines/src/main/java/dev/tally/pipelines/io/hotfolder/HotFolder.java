package dev.tally.pipelines.io.hotfolder;

import dev.tally.pipelines.io.ReadRecordsFromFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot folder: a folder, the file names to ingest (a glob such as {@code *.csv}) and the archive folder that
 * ingested files are moved to. A file is known by its name wherever it lies, hot folder or archive, and its
 * records always name it by its hot-folder path, so the source positions ({@code path:line}) stay the same
 * before and after archiving and across restarts. Works on any Beam file system (local, {@code hdfs://}).
 */
public record HotFolder(String folder, String fileGlob, String archiveFolder) implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(HotFolder.class);

  /**
   * @param input {@code DIR/GLOB}, e.g. {@code data/hot/*.csv}; wildcards only in the last part
   * @param archiveFolder null or empty: {@code DIR/archive}
   * @throws IllegalArgumentException naming what is wrong with {@code input}
   */
  public static HotFolder of(String input, String archiveFolder) {
    int slash = input.lastIndexOf('/');
    String glob = input.substring(slash + 1);
    String folder = slash < 0 ? "." : slash == 0 ? "/" : input.substring(0, slash);
    if (glob.isEmpty() || folder.matches(".*[*?\\[{].*")) {
      throw new IllegalArgumentException(
          "--input=" + input + " must name a folder and the files in it, with wildcards in the file name only, "
              + "e.g. --input='data/hot/*.csv'");
    }
    // Absolute, so that a source position names the same file whatever the working directory of a restart.
    String absolute = FileSystems.matchNewResource(folder, true).toString();
    String archive =
        archiveFolder == null || archiveFolder.isEmpty()
            ? FileSystems.matchNewResource(absolute, true).resolve("archive", ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY).toString()
            : FileSystems.matchNewResource(archiveFolder, true).toString();
    return new HotFolder(withoutTrailingSlash(absolute), glob, withoutTrailingSlash(archive));
  }

  /** The hot-folder path of {@code name}: the origin of its records. */
  public ResourceId file(String name) {
    return resolve(folder, name);
  }

  /** Where {@code name} lies once archived. */
  public ResourceId archivedFile(String name) {
    return resolve(archiveFolder, name);
  }

  /** The files to ingest in the hot folder, skipping hidden ones (files still being written: {@code .x.tmp}). */
  public List<MatchResult.Metadata> files() throws IOException {
    return match(folder + "/" + fileGlob);
  }

  /** Names of every file to ingest, in the hot folder or the archive. */
  public List<String> names() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (MatchResult.Metadata file : files()) {
      names.add(file.resourceId().getFilename());
    }
    for (MatchResult.Metadata file : match(archiveFolder + "/" + fileGlob)) {
      names.add(file.resourceId().getFilename());
    }
    return new ArrayList<>(names);
  }

  /**
   * Moves the hot folder's files last modified before {@code cutoffMillis} into the archive. A name already in the
   * archive is left where it is (it was ingested under that name before, so this file would not be read) and
   * logged.
   *
   * @return how many files were moved
   */
  public int archiveModifiedBefore(long cutoffMillis) throws IOException {
    int moved = 0;
    for (MatchResult.Metadata file : files()) {
      if (file.lastModifiedMillis() >= cutoffMillis) {
        continue;
      }
      String name = file.resourceId().getFilename();
      ResourceId target = archivedFile(name);
      if (!match(target.toString()).isEmpty()) {
        LOG.warn("not archiving {}: the archive already holds a file of that name, so it is not ingested either", file.resourceId());
        continue;
      }
      FileSystems.rename(
          List.of(file.resourceId()), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      moved++;
    }
    return moved;
  }

  /** Opens {@code name} in the hot folder, or in the archive if it was moved there meanwhile. */
  public ReadableByteChannel open(String name) throws IOException {
    try {
      return FileSystems.open(file(name));
    } catch (FileNotFoundException e) {
      return FileSystems.open(archivedFile(name));
    }
  }

  private static List<MatchResult.Metadata> match(String pattern) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (MatchResult.Metadata file :
        FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0).metadata()) {
      if (!ReadRecordsFromFiles.isHidden(file.resourceId())) {
        files.add(file);
      }
    }
    return files;
  }

  private static ResourceId resolve(String folder, String name) {
    return FileSystems.matchNewResource(folder, true)
        .resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
  }

  private static String withoutTrailingSlash(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
