package com.closeout.intake.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.closeout.config.IntakeProperties;
import com.closeout.domain.EventId;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(EventWebhookController.class)
class EventWebhookControllerTests {

  private static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
  private static final byte[] BODY =
      "{\"specversion\":\"1.0\",\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);

  @TestConfiguration
  @EnableConfigurationProperties(IntakeProperties.class)
  static class Intake {}

  @Autowired MockMvc mvc;
  @MockitoBean CloseoutEngine engine;
  @MockitoBean CloudEventJsonReader reader;

  private static IncomingEvent event(String id) {
    return new IncomingEvent(new EventId(id), "some.other.type", "urn:test", null, null);
  }

  @Test
  void newEventIsAcceptedWith202AndTheOutcome() throws Exception {
    IncomingEvent event = event("evt-1");
    when(reader.read(any())).thenReturn(new ParsedEvent.Valid(event));
    when(engine.receive(event))
        .thenReturn(IntakeReceipt.of("evt-1", EventOutcome.CLOSURE_STARTED, 7L));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.eventId").value("evt-1"))
        .andExpect(jsonPath("$.outcome").value("CLOSURE_STARTED"))
        .andExpect(jsonPath("$.closureId").value(7));
  }

  @Test
  void plainJsonContentTypeIsAcceptedToo() throws Exception {
    IncomingEvent event = event("evt-2");
    when(reader.read(any())).thenReturn(new ParsedEvent.Valid(event));
    when(engine.receive(event)).thenReturn(IntakeReceipt.of("evt-2", EventOutcome.IGNORED, null));

    mvc.perform(
            post(EventWebhookController.PATH)
                .contentType("application/json; charset=utf-8")
                .content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.outcome").value("IGNORED"));
  }

  @Test
  void redeliveredEventIdAnswers200AsDuplicate() throws Exception {
    IncomingEvent event = event("evt-1");
    when(reader.read(any())).thenReturn(new ParsedEvent.Valid(event));
    when(engine.receive(event)).thenReturn(IntakeReceipt.redelivered("evt-1"));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(BODY))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.eventId").value("evt-1"))
        .andExpect(jsonPath("$.outcome").value("DUPLICATE"));
  }

  @Test
  void reEmissionWithANewIdIsAcceptedWith202ThoughItJoinsTheExistingClosure() throws Exception {
    IncomingEvent event = event("evt-2");
    when(reader.read(any())).thenReturn(new ParsedEvent.Valid(event));
    when(engine.receive(event)).thenReturn(IntakeReceipt.of("evt-2", EventOutcome.DUPLICATE, 7L));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(BODY))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.outcome").value("DUPLICATE"))
        .andExpect(jsonPath("$.closureId").value(7));
  }

  @Test
  void malformedEventAnswers400ProblemNamingTheFieldAndStoresNothing() throws Exception {
    when(reader.read(any()))
        .thenReturn(
            new ParsedEvent.Malformed("data.dispositionVersion", "must be a positive integer"));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(BODY))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("urn:closeout:problem:malformed-event"))
        .andExpect(jsonPath("$.title").value("Malformed event"))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(
            jsonPath("$.detail").value("data.dispositionVersion: must be a positive integer"))
        .andExpect(jsonPath("$.field").value("data.dispositionVersion"));
    verifyNoInteractions(engine);
  }

  @Test
  void otherContentTypeAnswers415WithoutReadingTheEvent() throws Exception {
    mvc.perform(post(EventWebhookController.PATH).contentType(MediaType.TEXT_PLAIN).content(BODY))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(415))
        .andExpect(
            header().string("Accept-Post", org.hamcrest.Matchers.containsString(CLOUDEVENTS_JSON)));
    verifyNoInteractions(reader, engine);
  }

  @Test
  void missingContentTypeAnswers415() throws Exception {
    mvc.perform(post(EventWebhookController.PATH).content(BODY))
        .andExpect(status().isUnsupportedMediaType());
    verifyNoInteractions(reader, engine);
  }

  @Test
  void bodyOverTheLimitAnswers413AndIsNotParsed() throws Exception {
    byte[] large = new byte[256 * 1024 + 1];
    Arrays.fill(large, (byte) ' ');

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(large))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(413));
    verifyNoInteractions(reader, engine);
  }

  @Test
  void bodyExactlyAtTheLimitIsRead() throws Exception {
    byte[] atLimit = new byte[256 * 1024];
    Arrays.fill(atLimit, (byte) ' ');
    when(reader.read(any())).thenReturn(new ParsedEvent.Malformed("specversion", "is missing"));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(atLimit))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("specversion"));
  }

  @Test
  void bodyLargerThanItsDeclaredLengthAnswers413() throws Exception {
    byte[] large = new byte[256 * 1024 + 100];
    Arrays.fill(large, (byte) ' ');

    // The declared length lies: the limit is enforced on the bytes actually read.
    mvc.perform(
            post(EventWebhookController.PATH)
                .contentType(CLOUDEVENTS_JSON)
                .content(large)
                .with(
                    request -> {
                      request.addHeader("Content-Length", "10");
                      return request;
                    }))
        .andExpect(status().isPayloadTooLarge());
    verify(engine, never()).receive(any());
  }

  @Test
  void streamReaderStopsAtTheLimitWhateverTheDeclaredLength() throws Exception {
    byte[] data = new byte[1025];
    assertThat(EventWebhookController.readAtMost(new ByteArrayInputStream(data), 1024)).isNull();
    assertThat(EventWebhookController.readAtMost(new ByteArrayInputStream(data), 1025))
        .hasSize(1025);
  }

  @Test
  void failingIntakeAnswers503SoTheSenderRedelivers() throws Exception {
    IncomingEvent event = event("evt-9");
    when(reader.read(any())).thenReturn(new ParsedEvent.Valid(event));
    when(engine.receive(event)).thenThrow(new IllegalStateException("store down"));

    mvc.perform(post(EventWebhookController.PATH).contentType(CLOUDEVENTS_JSON).content(BODY))
        .andExpect(status().isServiceUnavailable())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().exists("Retry-After"));
  }
}
