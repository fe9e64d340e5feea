package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.OutputFormat;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch pipeline on the Spark runner (local[2]) reading from and writing to {@code hdfs://} on a real NameNode
 * and DataNode (MiniDFSCluster, in this JVM); input written by the generator straight to HDFS.
 */
@Tag("integration")
class BatchPipelineOnHdfsTest {
  @TempDir static Path hdfsBase;
  private static MiniDFSCluster cluster;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsBase.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void readsAndWritesHdfs() throws Exception {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .events(3000)
            .users(30)
            .files(2)
            .format(OutputFormat.JSONL)
            .gzip(true)
            .seed(11)
            .invalidRate(0.05)
            .duplicateRate(0.03)
            .output(root + "/tally/in")
            .build();
    GeneratedData data = EventGenerator.generate(config);
    String out = root + "/tally/out";

    // No --hdfsConfiguration and no HADOOP_CONF_DIR: the NameNode named in the locations is used.
    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner",
                "--sparkMaster=local[2]",
                "--input=" + root + "/tally/in/events-*",
                "--format=jsonl",
                "--output=" + out));

    Map<String, String> rawBySource = new HashMap<>();
    data.records().forEach(record -> rawBySource.put(record.sourcePosition(), record.line()));
    long uniqueValid = data.records().stream().filter(GeneratedRecord::isUniqueValid).count();

    assertEquals(GroundTruth.counts(data.records(), Duration.ofHours(1)), OutputFolder.counts(out));
    assertEquals(uniqueValid, ParquetFolder.readAll(out + "/events").size());
    Map<String, String> reasons = new TreeMap<>();
    for (JsonNode letter : OutputFolder.deadLetters(out)) {
      String source = letter.get("source").asText();
      assertTrue(source.startsWith(root + "/tally/in/events-"), source);
      assertEquals(rawBySource.get(source), letter.get("raw").asText(), "raw text kept exactly");
      assertNull(reasons.put(source, letter.get("reason").asText()), "one dead letter per record: " + source);
    }
    assertEquals(GroundTruth.deadLetterReasons(data.records()), reasons);
    assertTrue(reasons.size() > 0);

    assertEquals(config.events(), summary.read());
    assertEquals(uniqueValid, summary.valid());
    assertTrue(summary.invariantHolds());
    FileSystem fs = cluster.getFileSystem();
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("/tally/out/" + RunSummary.FILE_NAME))) {
      assertEquals(summary.read(), RunSummary.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)).read());
    }
  }
}
