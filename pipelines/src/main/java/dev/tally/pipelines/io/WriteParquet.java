package dev.tally.pipelines.io;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Writes a bounded collection as Parquet files {@code DIRECTORY/PREFIX-SSSSS-of-NNNNN.parquet}. Elements are
 * moved into the global window first so a run writes one set of files, not one per event-time window.
 */
public class WriteParquet<T> extends PTransform<PCollection<T>, WriteFilesResult<Void>> {
  private final String directory;
  private final String prefix;
  private final Schema schema;
  private final SerializableFunction<T, GenericRecord> toRecord;

  public WriteParquet(String directory, String prefix, Schema schema, SerializableFunction<T, GenericRecord> toRecord) {
    this.directory = directory;
    this.prefix = prefix;
    this.schema = schema;
    this.toRecord = toRecord;
  }

  @Override
  public WriteFilesResult<Void> expand(PCollection<T> elements) {
    PCollection<GenericRecord> records =
        elements
            .apply(
                "IntoGlobalWindow",
                Window.<T>into(new GlobalWindows())
                    .triggering(DefaultTrigger.of())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes())
            .apply("ToAvro", MapElements.into(TypeDescriptor.of(GenericRecord.class)).via(toRecord))
            .setCoder(AvroCoder.of(schema));
    return records.apply(
        "WriteParquetFiles",
        FileIO.<GenericRecord>write()
            .via(ParquetIO.sink(schema))
            .to(directory)
            .withPrefix(prefix)
            .withSuffix(".parquet"));
  }
}
