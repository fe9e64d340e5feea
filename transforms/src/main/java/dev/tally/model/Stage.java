package dev.tally.model;

/** The processing stage at which a record was dead-lettered. */
public enum Stage {
  PARSE,
  VALIDATE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
