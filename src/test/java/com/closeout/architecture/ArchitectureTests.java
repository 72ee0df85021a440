package com.closeout.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The domain and the engine are plain Java: they reach the world only through ports, and they take
 * time from an injected Clock, so the scenario runner can drive them on a simulated one.
 */
@AnalyzeClasses(packages = "com.closeout", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  /**
   * The engine's own packages; their adapter subpackages (.jdbc, .web, .format, .kafka) are
   * excluded.
   */
  private static final String[] CORE = {
    "com.closeout.domain..",
    "com.closeout.verification..",
    "com.closeout.propagation",
    "com.closeout.audit",
    "com.closeout.followup",
    "com.closeout.intake",
    "com.closeout.targets"
  };

  @ArchTest
  static final ArchRule domainAndEngineUseNoFrameworkNorPersistenceNorJsonLibrary =
      noClasses()
          .that()
          .resideInAnyPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "tools.jackson..",
              "com.fasterxml..",
              "java.sql..",
              "javax.sql..",
              "jakarta..",
              "io.cloudevents..",
              "org.apache.kafka..",
              "org.postgresql..",
              "org.flywaydb..")
          .because("the engine is assembled from ports, without Spring, JDBC or JSON libraries");

  @ArchTest
  static final ArchRule domainAndEngineDependOnNoAdapterNorEntryPoint =
      noClasses()
          .that()
          .resideInAnyPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.closeout..jdbc..",
              "com.closeout..web..",
              "com.closeout..format..",
              "com.closeout..kafka..",
              "com.closeout.sandbox..",
              "com.closeout.cli..",
              "com.closeout.config..",
              "com.closeout.evaluation..")
          .because("adapters depend on the engine, never the other way round");

  @ArchTest
  static final ArchRule domainAndEngineTakeTimeOnlyFromAnInjectedClock =
      noClasses()
          .that()
          .resideInAnyPackage(CORE)
          .should()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(LocalDateTime.class, "now")
          .orShould()
          .callMethod(OffsetDateTime.class, "now")
          .orShould()
          .callMethod(ZonedDateTime.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(Clock.class, "systemUTC")
          .orShould()
          .callMethod(Clock.class, "systemDefaultZone")
          .because("time comes from a java.time.Clock, so scenarios run on a simulated clock");
}
