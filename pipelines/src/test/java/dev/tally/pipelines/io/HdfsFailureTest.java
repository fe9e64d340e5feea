package dev.tally.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which run failures are HDFS's, and the one line they become. */
class HdfsFailureTest {
  private static final String FIX =
      "): check that the NameNode and every DataNode are up (./tally stack status; ./tally stack up hdfs starts"
          + " them), then run again with a new --output or after deleting hdfs://nn:9000/out (its files are"
          + " incomplete); PostgreSQL takes the re-run without duplicates";

  private static IOException thrownBy(String className, String message) {
    IOException e = new IOException(message);
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("org.apache.hadoop.ipc.Client", "call", "Client.java", 1),
          new StackTraceElement(className, "write", "X.java", 2)
        });
    return e;
  }

  @Test
  void aFailureOfTheHdfsClientDeepInTheRunnersWrappersIsNamedInOneLine() {
    RuntimeException failure =
        new RuntimeException(
            "Pipeline execution failed",
            new IllegalStateException(
                "bundle failed",
                thrownBy(
                    "org.apache.hadoop.hdfs.DFSOutputStream", "could only be written to 0 of the 1 nodes\n\tat x")));
    assertEquals(
        "the run failed because HDFS did (could only be written to 0 of the 1 nodes" + FIX,
        HdfsFailure.messageFor(failure, "hdfs://nn:9000/out"));
  }

  /** Spark may hand back only the text of an executor's exception. */
  @Test
  void aRemoteFailureKnownOnlyByItsTextIsRecognisedToo() {
    RuntimeException failure =
        new RuntimeException(
            "Job aborted: Lost task 0.0: org.apache.hadoop.hdfs.BlockMissingException: Could not obtain block\n"
                + "\tat org.apache.hadoop.hdfs.DFSInputStream.read(DFSInputStream.java:1)");
    assertEquals(
        "the run failed because HDFS did (Job aborted: Lost task 0.0: org.apache.hadoop.hdfs.BlockMissingException:"
            + " Could not obtain block" + FIX,
        HdfsFailure.messageFor(failure, "hdfs://nn:9000/out"));
  }

  @Test
  void otherFailuresAreNotHdfss() {
    assertNull(
        HdfsFailure.messageFor(
            new RuntimeException("failed", thrownBy("org.apache.hadoop.fs.LocalFileSystem", "disk full")), "out"));
    assertNull(HdfsFailure.messageFor(new IllegalStateException("PostgreSQL at x failed 8 times"), "out"));
  }
}
