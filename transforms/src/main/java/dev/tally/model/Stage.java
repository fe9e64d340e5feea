package dev.tally.model;

/** The processing stage at which a record was dead-lettered. */
public enum Stage {
  PARSE,
  VALIDATE,
  /** Valid, but the database sink refused it. */
  STORE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
