package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.closeout.testsupport.TestDatabase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario file runs and passes, leaks nothing and leaves an intact audit chain: ours, one
 * per rule of SPEC §4 and §5, and the shared examples when that folder is present (CI has it).
 */
class ScenarioFilesTests {
  private static final Path SHARED = Path.of("..", "shared", "scenarios");

  @TestFactory
  Stream<DynamicTest> ourScenarioFilesPass() throws IOException, URISyntaxException {
    Path own =
        Path.of(Objects.requireNonNull(ScenarioFilesTests.class.getResource("/scenarios")).toURI());
    List<Path> files = jsonFiles(own);
    assertThat(files).hasSizeGreaterThan(40);
    return files.stream().map(ScenarioFilesTests::scenarioTest);
  }

  @TestFactory
  Stream<DynamicTest> sharedExampleScenariosPass() throws IOException {
    assumeTrue(Files.isDirectory(SHARED), "the shared scenarios folder is not here");
    return jsonFiles(SHARED).stream().map(ScenarioFilesTests::scenarioTest);
  }

  private static List<Path> jsonFiles(Path folder) throws IOException {
    try (Stream<Path> listing = Files.list(folder)) {
      return listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static DynamicTest scenarioTest(Path file) {
    return DynamicTest.dynamicTest(
        file.getFileName().toString(),
        () -> {
          Scenario scenario = ScenarioFile.parse(file);
          ScenarioResult result = new ScenarioRunner().run(scenario, TestDatabase.server());

          assertThat(result.mismatches()).as(result.toPrettyJson()).isEmpty();
          assertThat(result.passed()).isTrue();
          assertThat(result.restrictedLeaks()).as("restricted leaks").isZero();
          assertThat(result.chainValid()).as("audit chain valid").isTrue();
        });
  }
}
