package dev.tally.pipelines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.model.DeadLetter;

/** One dead letter as one JSON Lines object: raw, source, stage, reason, message, failed_at. */
public final class DeadLetterJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterJson() {}

  public static String toJson(DeadLetter letter) {
    ObjectNode node = JSON.createObjectNode();
    node.put("raw", letter.raw());
    node.put("source", letter.source());
    node.put("stage", letter.stage().code());
    node.put("reason", letter.reason().code());
    node.put("message", letter.message());
    node.put("failed_at", letter.failedAt().toString());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a tree of strings always serialises", e);
    }
  }
}
