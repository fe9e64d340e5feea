package dev.tally.generator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A {@link TargetFolder} on a Hadoop file system (HDFS). Client settings such as {@code dfs.replication} come from
 * {@code core-site.xml} and {@code hdfs-site.xml} in {@code HADOOP_CONF_DIR}, as for Hadoop's own tools.
 */
final class HadoopFolder implements TargetFolder {
  private final URI uri;
  private final Path dir;

  HadoopFolder(URI uri) {
    this.uri = uri;
    this.dir = new Path(uri);
  }

  @Override
  public String location() {
    return uri.toString();
  }

  @Override
  public String locationOf(String name) {
    return new Path(dir, name).toString();
  }

  @Override
  public void create() throws IOException {
    FileSystem fs = fileSystem();
    if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
      throw new IllegalArgumentException("outputDir (--output) is not a folder: " + uri);
    }
    fs.mkdirs(dir);
  }

  @Override
  public List<String> fileNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : fileSystem().listStatus(dir)) {
      if (status.isFile()) {
        names.add(status.getPath().getName());
      }
    }
    names.sort(null);
    return names;
  }

  @Override
  public OutputStream newFile(String name) throws IOException {
    return fileSystem().create(new Path(dir, name), true);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    // HDFS renames atomically, and refuses (returns false) when the target exists.
    if (!fileSystem().rename(new Path(dir, from), new Path(dir, to))) {
      throw new IOException("could not rename " + locationOf(from) + " to " + to);
    }
  }

  @Override
  public long size(String name) throws IOException {
    return fileSystem().getFileStatus(new Path(dir, name)).getLen();
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      fileSystem().delete(new Path(dir, name), false);
    } catch (FileNotFoundException e) {
      // already gone
    }
  }

  private FileSystem fileSystem() throws IOException {
    // FileSystem.get caches one instance per scheme and authority: never close it here.
    return FileSystem.get(uri, configuration());
  }

  private static Configuration configuration() {
    Configuration conf = new Configuration();
    // Fail within seconds, not a minute, when nothing listens at the NameNode address.
    conf.setInt("ipc.client.connect.max.retries", 2);
    String confDir = System.getenv("HADOOP_CONF_DIR");
    if (confDir != null && !confDir.isBlank()) {
      for (String file : List.of("core-site.xml", "hdfs-site.xml")) {
        java.nio.file.Path path = java.nio.file.Path.of(confDir, file);
        if (Files.isRegularFile(path)) {
          conf.addResource(new Path(path.toUri()));
        }
      }
    }
    return conf;
  }
}
