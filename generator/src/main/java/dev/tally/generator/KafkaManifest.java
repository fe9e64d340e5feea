package dev.tally.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The ground truth of one run to Kafka: the file mode's config and totals, plus the topic and what each partition
 * received. Written as JSON with snake_case keys, like {@link Manifest}.
 *
 * @param config the options that shaped the data ({@code files} and {@code gzip} do not apply to Kafka)
 * @param topic the topic written to
 * @param partitions the partitions that received records, by partition number
 * @param totals what was injected, as in the file mode's manifest
 */
public record KafkaManifest(Manifest.Config config, String topic, List<Partition> partitions, Manifest.Totals totals) {

  public KafkaManifest {
    partitions = List.copyOf(partitions);
  }

  /**
   * What one partition received in this run.
   *
   * @param partition the partition number
   * @param records records sent to it
   * @param firstOffset the offset of the first of them
   * @param lastOffset the offset of the last of them
   */
  public record Partition(int partition, long records, long firstOffset, long lastOffset) {}

  /** The manifest as pretty-printed JSON, ending with a newline. */
  public String toJson() {
    try {
      return Manifest.WRITER.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the JSON to {@code path} (creating its folder), under a temporary name first so readers never see half. */
  public void write(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    Files.writeString(temporary, toJson());
    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Parses JSON written by {@link #toJson()}. */
  public static KafkaManifest fromJson(String json) throws IOException {
    return Manifest.MAPPER.readValue(json, KafkaManifest.class);
  }
}
