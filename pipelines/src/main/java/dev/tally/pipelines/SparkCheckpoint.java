package dev.tally.pipelines;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Each start of the streaming pipeline on the Spark runner gets a new Spark checkpoint folder under
 * {@code --checkpointDir}, and the folders of earlier starts are deleted.
 *
 * <p>Why not resume Spark's checkpoint: after SIGKILLs, a restart that recovered it was seen to re-emit an inflated
 * pane and, in a CI run, to store nothing for minutes. Nothing needs it: the streaming path keeps no Beam state or
 * window, each start resumes from the Kafka offsets stored with the rows ({@code ResumeFromStoredOffsets}), and the
 * sink stores a replayed event once.
 */
final class SparkCheckpoint {
  static final String PREFIX = "start-";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private SparkCheckpoint() {}

  static void freshForThisStart(PipelineOptions options) {
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    Path base = new Path(spark.getCheckpointDir());
    Path start = new Path(base, PREFIX + LocalDateTime.now().format(NAME));
    try {
      FileSystem fs = base.getFileSystem(new Configuration());
      if (fs.exists(base)) {
        for (FileStatus earlier : fs.listStatus(base)) {
          if (earlier.isDirectory() && earlier.getPath().getName().startsWith(PREFIX)) {
            fs.delete(earlier.getPath(), true);
          }
        }
      }
      fs.mkdirs(start);
    } catch (IOException e) {
      throw new UserError("--checkpointDir=" + base + " cannot be used (" + e.getMessage()
          + "): give a writable local or hdfs:// folder", e);
    }
    spark.setCheckpointDir(start.toString());
  }
}
