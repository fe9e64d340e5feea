package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator writing to a real NameNode and DataNode (in this JVM), as it does to a local folder. */
@Tag("integration")
class HdfsOutputTest {
  @TempDir static Path hdfsBase;
  private static MiniDFSCluster cluster;
  private static FileSystem fs;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsBase.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void writesTheSameBytesAsToALocalFolder(@TempDir Path local) throws IOException {
    GeneratorConfig onHdfs =
        GeneratorConfig.builder().events(2_000).files(2).gzip(true).output(root + "/same-bytes").build();
    GeneratedData written = EventGenerator.generate(onHdfs);
    GeneratedData expected = EventGenerator.generate(onHdfs.toBuilder().outputDir(local).build());

    List<String> names = List.of("_MANIFEST.json", "events-00000.csv.gz", "events-00001.csv.gz");
    assertEquals(names, listing("/same-bytes"), "no temporary file is left behind");
    for (String name : names) {
      assertArrayEquals(Files.readAllBytes(local.resolve(name)), read("/same-bytes/" + name), name);
    }
    assertEquals(expected.manifest(), written.manifest());
    assertEquals(root + "/same-bytes/events-00001.csv.gz", written.files().get(1));
    GeneratedRecord last = written.records().get(written.records().size() - 1);
    assertEquals(root + "/same-bytes/events-00001.csv.gz:1001", last.sourcePosition());
  }

  @Test
  void refusesAFolderHoldingAnEarlierRunUnlessOverwriting() throws IOException {
    GeneratorConfig config = GeneratorConfig.builder().events(100).output(root + "/twice").build();
    EventGenerator.write(config);
    assertThrows(FileAlreadyExistsException.class, () -> EventGenerator.write(config));
    EventGenerator.write(config.toBuilder().events(50).overwrite(true).build());
    assertEquals(51, new String(read("/twice/events-00000.csv")).lines().count());
  }

  private static List<String> listing(String dir) throws IOException {
    return java.util.Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(dir)))
        .map(FileStatus::getPath)
        .map(org.apache.hadoop.fs.Path::getName)
        .sorted()
        .toList();
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
      return in.readAllBytes();
    }
  }
}
