package dev.tally.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** A {@link TargetFolder} on the local file system. */
record LocalFolder(Path dir) implements TargetFolder {

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public String locationOf(String name) {
    return dir.resolve(name).toString();
  }

  @Override
  public void create() throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("outputDir (--output) is not a folder: " + dir);
    }
    Files.createDirectories(dir);
  }

  @Override
  public List<String> fileNames() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public OutputStream newFile(String name) throws IOException {
    return Files.newOutputStream(dir.resolve(name));
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public long size(String name) throws IOException {
    return Files.size(dir.resolve(name));
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name));
  }
}
