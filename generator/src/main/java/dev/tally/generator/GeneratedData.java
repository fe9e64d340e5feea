package dev.tally.generator;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link EventGenerator#generate(GeneratorConfig)} wrote.
 *
 * @param records every record in output order (file by file, line by line)
 * @param files the data files, in order
 * @param manifestPath where the manifest was written
 * @param manifest the manifest's content
 */
public record GeneratedData(List<GeneratedRecord> records, List<Path> files, Path manifestPath, Manifest manifest) {

  public GeneratedData {
    records = List.copyOf(records);
    files = List.copyOf(files);
  }
}
