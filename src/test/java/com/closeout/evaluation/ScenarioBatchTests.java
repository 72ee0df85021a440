package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScenarioBatchTests {
  @TempDir Path folder;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(boolean json, Path... files) {
    return new ScenarioBatch(TestDatabase.server())
        .run(
            List.of(files),
            json,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path resource(String name) throws Exception {
    return Path.of(ScenarioBatchTests.class.getResource("/scenarios/" + name).toURI());
  }

  @Test
  void passingScenarioPrintsOneJsonObjectAndExitsZero() throws Exception {
    int status = run(true, resource("reopened.json"));

    assertThat(status).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(report.get("scenario").stringValue()).isEqualTo("reopened");
    assertThat(report.get("passed").booleanValue()).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void failedExpectationExitsOneAndSaysWhy() throws Exception {
    Path wrong = folder.resolve("wrong.json");
    Files.writeString(
        wrong,
        Files.readString(resource("reopened.json"))
            .replace("\"outcome\": \"FOLLOW_UP\"", "\"outcome\": \"COMPLETED\""));

    int status = run(false, wrong);

    assertThat(status).isEqualTo(ScenarioBatch.FAILED);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("FAIL reopened");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("ESC-1001.outcome: expected COMPLETED, got FOLLOW_UP");
  }

  @Test
  void malformedScenarioExitsTwoNamingTheProblem() throws Exception {
    Path malformed = folder.resolve("malformed.json");
    Files.writeString(
        malformed,
        "{\"steps\": [{\"fault\": {\"system\": \"tracker\", \"failures\": 1, \"kind\": \"SLOW\"}}],"
            + " \"expect\": {}}");

    int status = run(true, malformed, resource("reopened.json"));

    assertThat(status).isEqualTo(ScenarioBatch.MALFORMED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("steps[0].fault.kind", "SLOW");
  }
}
