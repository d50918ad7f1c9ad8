package org.sangfroid.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigDocumentTest {
  @Test
  void everyProblem_isReportedAtOnce_withFileAndLine() {
    ConfigDocument doc = ConfigDocument.parse("agent.yaml", """
        site: casa 01
        tick: 5 parsecs
        untis: []
        units:
          - id: fridge-1
            profile: RBC_STORE_XX
          - name: no id here
        """);
    ConfigNode root = doc.root();
    root.allowOnly(Set.of("site", "tick", "units"));
    root.id("site");
    root.duration("tick", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));
    for (ConfigNode unit : root.list("units")) {
      unit.id("id");
      unit.get("profile").ifPresent(p -> p.text().filter(t -> !t.startsWith("RBC_STORE_EU"))
          .ifPresent(t -> p.invalid("be a known profile")));
    }
    assertThatThrownBy(doc::finish)
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "agent.yaml:1: site [casa 01] must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
            "agent.yaml:2: tick [5 parsecs] must be a duration from 1s to 1h such as 30s, 5m or 2h.",
            "agent.yaml:3: untis is not a known setting (known here: site, tick, units)",
            "agent.yaml:6: units[0].profile [RBC_STORE_XX] must be a known profile.",
            "agent.yaml:7: units[1].id is missing"));
  }

  @Test
  void syntaxError_namesTheLine() {
    assertThatThrownBy(() -> ConfigDocument.parse("gw.yaml", "sites:\n  - id: a\n   name: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("gw.yaml:3: is not valid YAML");
  }

  @Test
  void duplicateKey_isAnError() {
    ConfigDocument doc = ConfigDocument.parse("gw.yaml", "site: a\nunits:\n  - id: u\n    id: v\nsite: b\n");
    assertThat(doc.problems()).containsExactly(
        "gw.yaml:4: units[0].id is given twice (first on line 3)",
        "gw.yaml:5: site is given twice (first on line 1)");
    assertThatThrownBy(doc::finish).isInstanceOf(ConfigException.class);
  }

  @Test
  void missingFile_namesTheFile(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigDocument.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml: cannot be read");
  }

  @Test
  void validFile_readsTypedValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(file, "n: 7\nx: -25.5\nflag: yes\nd: PT90S\nname: Fridge\n");
    ConfigDocument doc = ConfigDocument.load(file);
    ConfigNode r = doc.root();
    assertThat(r.integer("n", 0, 0, 10)).isEqualTo(7);
    assertThat(r.decimal("x")).contains(-25.5);
    assertThat(r.bool("flag", false)).isTrue();
    assertThat(r.duration("d", Duration.ZERO, Duration.ZERO, Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(90));
    assertThat(r.string("name")).isEqualTo("Fridge");
    assertThat(r.string("missing", "fallback")).isEqualTo("fallback");
    doc.finish();
  }

  @ParameterizedTest
  @CsvSource({"90s, 90000", "5m, 300000", "2h, 7200000", "1d, 86400000", "250ms, 250", "PT5M, 300000", "5 min, 300000"})
  void parseDuration_acceptsTechnicianForms(String text, long millis) {
    assertThat(ConfigNode.parseDuration(text).toMillis()).isEqualTo(millis);
    assertThat(ConfigNode.parseDuration(ConfigNode.human(Duration.ofMillis(millis))).toMillis()).isEqualTo(millis);
  }
}
