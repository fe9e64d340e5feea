package dev.tally.schema;

/**
 * A schema file that cannot be used. The message names the file, the field (or key) and the problem, so a user
 * can fix it without reading code; it is reported before any pipeline starts.
 */
public class SchemaException extends IllegalArgumentException {
  public SchemaException(String message) {
    super(message);
  }
}
