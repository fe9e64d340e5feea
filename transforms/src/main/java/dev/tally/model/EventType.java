package dev.tally.model;

import java.util.Optional;

/**
 * The event types of the default schema, with the lower-case names used in files and tables; a test checks that
 * they agree with {@code default.json}. Other schemas declare their own event types (see {@code EventSchema}).
 */
public enum EventType {
  VIEW("view"),
  ADD_TO_CART("add_to_cart"),
  REMOVE_FROM_CART("remove_from_cart"),
  PURCHASE("purchase"),
  SEARCH("search"),
  LOGIN("login"),
  LOGOUT("logout");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name as it appears in input records and in every output. */
  public String wireName() {
    return wireName;
  }

  /** Exact, case-sensitive lookup: "View" is an unknown type, not a view. */
  public static Optional<EventType> fromWireName(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
