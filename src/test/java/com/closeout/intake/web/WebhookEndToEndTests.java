package com.closeout.intake.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.testsupport.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The service as `serve` assembles it, on a schema of its own: webhook, real event reader, engine,
 * JDBC stores and the (empty) sandbox systems.
 */
@SpringBootTest(
    properties = {
      // Any URL turns the embedded default off; the DataSource below is the one used.
      "spring.datasource.url=jdbc:postgresql://127.0.0.1/isolated-schema",
      "spring.flyway.enabled=false",
      "closeout.worker.enabled=false"
    })
@AutoConfigureMockMvc
class WebhookEndToEndTests {

  private static final IsolatedSchema schema = TestDatabase.freshSchema("web");

  @TestConfiguration
  static class Store {
    @Bean
    @Primary
    DataSource dataSource() {
      return schema.dataSource();
    }
  }

  @AfterAll
  static void dropSchema() {
    schema.close();
  }

  @Autowired MockMvc mvc;
  @Autowired CloseoutEngine engine;
  @Autowired CloseoutStores stores;

  private static String event(String id, String version) {
    return """
        {"specversion":"1.0","id":"%s","source":"urn:support:review-board",
         "type":"support.review.disposition.finalized","subject":"ESC-77",
         "time":"2026-11-20T10:15:00Z","datacontenttype":"application/json",
         "data":{"escalationId":"ESC-77","episodeId":"EP-7","disposition":"CLOSURE_APPROVED",
           "dispositionVersion":%s,"finalizedAt":"2026-11-20T10:14:58Z",
           "archiveRefs":[],"requestedActions":[]}}
        """
        .formatted(id, version);
  }

  @Test
  void finalizedEventIsStoredOnceWorkedAndVisibleThroughTheApi() throws Exception {
    String body = event("evt-e2e-1", "3");
    mvc.perform(post("/api/v1/events").contentType("application/cloudevents+json").content(body))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.outcome").value("CLOSURE_STARTED"));
    mvc.perform(post("/api/v1/events").contentType("application/cloudevents+json").content(body))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("DUPLICATE"));

    engine.runDue();

    // The sandbox holds no record of ESC-77: the gate stops it before any write.
    mvc.perform(get("/api/v1/closures/ESC-77"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].dispositionVersion").value(3))
        .andExpect(jsonPath("$[0].status").value("FOLLOW_UP"))
        .andExpect(jsonPath("$[0].followUps[0].reason").value("SOURCE_RECORD_MISSING"));
    mvc.perform(get("/api/v1/follow-ups").param("open", "true"))
        .andExpect(jsonPath("$[0].escalationId").value("ESC-77"));
  }

  @Test
  void malformedEventIsRefusedWithTheFieldAndNothingIsStored() throws Exception {
    mvc.perform(
            post("/api/v1/events")
                .contentType("application/cloudevents+json")
                .content(event("evt-e2e-bad", "\"three\"")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("data.dispositionVersion"));

    assertThat(stores.inbox().find("evt-e2e-bad")).isEmpty();
  }
}
