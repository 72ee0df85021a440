package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentsTests {

  private static Arguments parse(String... args) throws UsageException {
    return Arguments.parse(List.of(args), Set.of("--json"), Set.of("--cases"));
  }

  @Test
  void optionTakesTheNextArgumentOrTheTextAfterEquals() throws UsageException {
    assertThat(parse("--cases", "5").option("--cases")).contains("5");
    assertThat(parse("--cases=7").option("--cases")).contains("7");
  }

  @Test
  void flagsAndPositionalsMixInAnyOrder() throws UsageException {
    Arguments arguments = parse("a.json", "--json", "b.json");
    assertThat(arguments.flag("--json")).isTrue();
    assertThat(arguments.positionals()).containsExactly("a.json", "b.json");
  }

  @Test
  void doubleDashEndsTheOptions() throws UsageException {
    assertThat(parse("--", "--json").positionals()).containsExactly("--json");
  }

  @Test
  void undeclaredOptionIsRejected() {
    assertThatThrownBy(() -> parse("--jsn")).hasMessage("unknown option --jsn");
  }

  @Test
  void repeatedOptionIsRejected() {
    assertThatThrownBy(() -> parse("--cases", "1", "--cases", "2"))
        .hasMessage("--cases given twice");
  }

  @Test
  void optionWithoutValueIsRejected() {
    assertThatThrownBy(() -> parse("--cases")).hasMessage("--cases needs a value");
  }

  @Test
  void flagWithValueIsRejected() {
    assertThatThrownBy(() -> parse("--json=yes")).hasMessage("--json takes no value");
  }

  @Test
  void numberBelowTheMinimumIsRejected() {
    assertThatThrownBy(() -> parse("--cases", "0").longOption("--cases", 200, 1))
        .hasMessage("--cases must be at least 1");
    assertThatThrownBy(() -> parse("--cases", "x").longOption("--cases", 200, 1))
        .hasMessageContaining("whole number");
  }

  @Test
  void missingNumberTakesItsDefault() throws UsageException {
    assertThat(parse().longOption("--cases", 200, 1)).isEqualTo(200);
  }
}
