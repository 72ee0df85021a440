package com.closeout.targets.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/api/targets.openapi.yaml offers only the operations of SPEC §1: an operation added to it
 * (say, one that messages a customer) fails here until it is deliberately allowed.
 */
class TargetsContractDocumentTests {
  private static final Path DOCUMENT = Path.of("docs/api/targets.openapi.yaml");

  /** The six systems' operations, "METHOD path", exactly. */
  private static final Set<String> ALLOWED =
      Set.of(
          "GET /review/escalations/{escalationId}",
          "GET /review/finalized-escalations",
          "GET /tracker/records/by-escalation/{escalationId}",
          "PATCH /tracker/records/{recordId}/review-state",
          "POST /tracker/records/{recordId}/archive-links",
          "DELETE /tracker/records/{recordId}/archive-links",
          "GET /ledger/records/by-escalation/{escalationId}",
          "PATCH /ledger/records/{recordId}/review-state",
          "POST /ledger/records/{recordId}/archive-links",
          "DELETE /ledger/records/{recordId}/archive-links",
          "GET /queue/items/by-escalation/{escalationId}",
          "POST /queue/items/{itemId}/close",
          "POST /queue/items/{itemId}/restore",
          "HEAD /archive/objects",
          "GET /notification/channel",
          "POST /notification/notices");

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static final Set<String> RESTRICTED =
      Set.of("customerTranscript", "concessionNotes", "reviewerDiscussion", "customerContact");

  private static Map<String, Object> document;

  @BeforeAll
  static void parse() throws IOException {
    try (Reader reader = Files.newBufferedReader(DOCUMENT)) {
      document = new Yaml().load(reader);
    }
  }

  @Test
  void documentIsOpenApi31() {
    assertThat(document.get("openapi")).isEqualTo("3.1.0");
  }

  @Test
  void everyOperationIsOneOfTheSixSystemsAllowedOperations() {
    assertThat(operations()).containsExactlyInAnyOrderElementsOf(ALLOWED);
  }

  @Test
  void noOperationReachesACustomerCreditRefundOrReopen() {
    for (String operation : operations()) {
      String lower = operation.toLowerCase(Locale.ROOT);
      assertThat(lower)
          .doesNotContain("customer")
          .doesNotContain("credit")
          .doesNotContain("refund")
          .doesNotContain("reopen")
          .doesNotContain("remediat")
          .doesNotContain("message");
    }
  }

  @Test
  void everyWriteCarriesAnIdempotencyKey() {
    Map<String, Object> paths = map(document.get("paths"));
    paths.forEach(
        (path, item) ->
            map(item)
                .forEach(
                    (method, operation) -> {
                      if (!HTTP_METHODS.contains(method)
                          || method.equals("get")
                          || method.equals("head")) {
                        return;
                      }
                      assertThat(String.valueOf(map(operation).get("parameters")))
                          .as(method + " " + path)
                          .contains("#/components/parameters/IdempotencyKey");
                    }));
  }

  @Test
  void reviewRecordSchemaHasNoRestrictedField() {
    Map<String, Object> schemas = map(map(document.get("components")).get("schemas"));
    Map<String, Object> properties = map(map(schemas.get("ReviewRecord")).get("properties"));
    assertThat(properties.keySet()).doesNotContainAnyElementsOf(RESTRICTED);
    // The adapter's body binds exactly the documented fields, no more.
    assertThat(
            java.util.Arrays.stream(ContractBodies.ReviewRecordBody.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName))
        .containsExactlyInAnyOrderElementsOf(properties.keySet());
  }

  @Test
  void throttlingAndUnavailabilityDocumentRetryAfter() {
    Map<String, Object> responses = map(map(document.get("components")).get("responses"));
    assertThat(map(map(responses.get("TooManyRequests")).get("headers")))
        .containsKey("Retry-After");
    assertThat(map(map(responses.get("Unavailable")).get("headers"))).containsKey("Retry-After");
  }

  private static Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    map(document.get("paths"))
        .forEach(
            (path, item) ->
                map(item).keySet().stream()
                    .filter(HTTP_METHODS::contains)
                    .forEach(m -> operations.add(m.toUpperCase(Locale.ROOT) + " " + path)));
    return operations;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
