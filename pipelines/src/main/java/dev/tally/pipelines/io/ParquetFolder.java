package dev.tally.pipelines.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads back every row of the {@code *.parquet} files of a local output folder (for the demo and tests). */
public final class ParquetFolder {
  private ParquetFolder() {}

  public static List<GenericRecord> readAll(Path folder) throws IOException {
    List<Path> files;
    // Beam leaves an empty .temp-beam folder behind: only the finished *.parquet files count.
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    List<GenericRecord> rows = new ArrayList<>();
    Configuration conf = new Configuration();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
              .build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
