package dev.tally.runners.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The JVM behind {@code ./tally stack up hdfs}: a NameNode and one DataNode ({@link MiniDFSCluster}) on 127.0.0.1,
 * keeping their data under the base folder across restarts (formatted on the first start only). Writes the ready
 * file once the cluster is active and out of safe mode; stops the cluster on SIGTERM.
 *
 * <p>Usage: {@code HdfsDaemon BASE_DIR NAMENODE_PORT NAMENODE_HTTP_PORT READY_FILE}
 */
public final class HdfsDaemon {
  /** Written after the first successful start; its absence means "format". */
  static final String FORMATTED_MARKER = "formatted";

  private HdfsDaemon() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: HdfsDaemon BASE_DIR NAMENODE_PORT NAMENODE_HTTP_PORT READY_FILE");
      System.exit(2);
    }
    try {
      run(args);
    } catch (Throwable e) {
      // Exit even if a half-started NameNode or DataNode left non-daemon threads behind.
      e.printStackTrace();
      System.err.println("HdfsDaemon: failed to start: " + e);
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Path base = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    int httpPort = Integer.parseInt(args[2]);
    Path readyFile = Path.of(args[3]).toAbsolutePath();
    Files.deleteIfExists(readyFile);

    Configuration conf = new Configuration();
    // The base folder goes in the configuration only: also passing it to the Builder fails ("already defined").
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("data").toString());
    conf.set("hadoop.tmp.dir", base.resolve("tmp").toString());
    conf.setInt("dfs.replication", 1);
    boolean format = !Files.exists(base.resolve(FORMATTED_MARKER));

    MiniDFSCluster cluster =
        new MiniDFSCluster.Builder(conf)
            .nameNodePort(port)
            .nameNodeHttpPort(httpPort)
            .numDataNodes(1)
            .format(format)
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(readyFile);
                    // false: keep the data for the next start.
                    cluster.shutdown(false);
                  } catch (Exception e) {
                    System.err.println("HdfsDaemon: error while stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "hdfs-shutdown"));
    cluster.waitActive();
    cluster.waitClusterUp();
    if (format) {
      Files.writeString(base.resolve(FORMATTED_MARKER), "formatted by HdfsDaemon\n", StandardCharsets.UTF_8);
    }
    String url = "hdfs://" + StackSettings.HOST + ":" + cluster.getNameNodePort();
    Path temporary = readyFile.resolveSibling("." + readyFile.getFileName() + ".tmp");
    Files.writeString(temporary, url + "\n", StandardCharsets.UTF_8);
    Files.move(temporary, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf(
        "HdfsDaemon: ready at %s (NameNode web UI http://%s:%d), data in %s%s%n",
        url, StackSettings.HOST, httpPort, base, format ? " (formatted now)" : "");
    System.out.flush();
    stopped.await();
  }
}
