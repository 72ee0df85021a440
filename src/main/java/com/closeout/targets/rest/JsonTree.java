package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON trees for the vendor connectors, whose bodies are the vendor's, not the reference
 * contract's: read the few fields Closeout needs, write the few it sets. A body that does not parse
 * is reported without the parser's message, which can quote the input.
 */
public final class JsonTree {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonTree() {}

  public static JsonNode parse(byte[] body, TargetSystem system, String what) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new TargetUnavailableException(system, what + ": empty body", false);
      }
      return node;
    } catch (JacksonException e) {
      throw new TargetUnavailableException(system, what + ": body is not JSON", false);
    }
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  public static byte[] bytes(JsonNode node) {
    return JSON.writeValueAsBytes(node);
  }

  public static String string(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  /** A scalar as text; {@code null} when absent, JSON null or empty. */
  public static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    String text = node.isString() ? node.stringValue() : node.asString();
    return text == null || text.isEmpty() ? null : text;
  }
}
