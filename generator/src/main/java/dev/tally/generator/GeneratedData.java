package dev.tally.generator;

import java.util.List;

/**
 * What {@link EventGenerator#generate(GeneratorConfig)} wrote.
 *
 * @param records every record in output order (file by file, line by line)
 * @param files the data files (paths or URIs), in order
 * @param manifestLocation where the manifest was written
 * @param manifest the manifest's content
 */
public record GeneratedData(List<GeneratedRecord> records, List<String> files, String manifestLocation, Manifest manifest) {

  public GeneratedData {
    records = List.copyOf(records);
    files = List.copyOf(files);
  }
}
