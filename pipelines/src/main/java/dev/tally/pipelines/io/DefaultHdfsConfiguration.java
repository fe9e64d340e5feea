package dev.tally.pipelines.io;

import java.net.URI;
import java.util.List;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.hadoop.conf.Configuration;

/**
 * Beam's Hadoop file system registers {@code hdfs://} only when it has a configuration: from
 * {@code --hdfsConfiguration}, or from {@code HADOOP_CONF_DIR} / {@code YARN_CONF_DIR}. When neither is set but a
 * location names its NameNode ({@code hdfs://host:8020/path}), that is all Beam needs: use it as fs.defaultFS, so
 * {@code --input=hdfs://...} works without any set-up.
 */
public final class DefaultHdfsConfiguration {
  private DefaultHdfsConfiguration() {}

  /** Sets {@code --hdfsConfiguration} from the first {@code hdfs://} location when none is configured. */
  public static void applyTo(PipelineOptions options, String... locations) {
    HadoopFileSystemOptions hadoop = options.as(HadoopFileSystemOptions.class);
    List<Configuration> configured = hadoop.getHdfsConfiguration();
    if (configured != null && !configured.isEmpty()) {
      return;
    }
    for (String location : locations) {
      if (location != null && location.startsWith("hdfs://")) {
        URI uri = URI.create(location.replace("*", "x")); // a glob is not a valid URI; the authority is all we need
        if (uri.getAuthority() != null) {
          Configuration conf = new Configuration(false);
          conf.set("fs.defaultFS", "hdfs://" + uri.getAuthority());
          hadoop.setHdfsConfiguration(List.of(conf));
          return;
        }
      }
    }
  }
}
