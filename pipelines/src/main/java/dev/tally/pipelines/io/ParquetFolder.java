package dev.tally.pipelines.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads back every row of the {@code *.parquet} files of an output folder, local or on HDFS (demo and tests). */
public final class ParquetFolder {
  private ParquetFolder() {}

  public static List<GenericRecord> readAll(java.nio.file.Path folder) throws IOException {
    return readAll(folder.toUri().toString());
  }

  /** {@code location}: a local path or a URI such as {@code hdfs://127.0.0.1:8020/out/counts}. */
  public static List<GenericRecord> readAll(String location) throws IOException {
    Configuration conf = new Configuration();
    Path folder = new Path(location);
    FileSystem fs = folder.getFileSystem(conf);
    // Beam leaves an empty .temp-beam folder behind: only the finished *.parquet files count.
    List<Path> files =
        Arrays.stream(fs.listStatus(folder, path -> path.getName().endsWith(".parquet")))
            .map(FileStatus::getPath)
            .sorted()
            .toList();
    List<GenericRecord> rows = new ArrayList<>();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, conf)).build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
