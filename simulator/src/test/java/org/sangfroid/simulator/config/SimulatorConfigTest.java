package org.sangfroid.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.failure.FailureKind;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.thermal.UnitKind;

class SimulatorConfigTest {
  private static final String EXAMPLE =
      """
      seed: 42
      onewireDir: /tmp/sangfroid-w1     # where the w1 tree is written (required)
      step: 1s                          # model step in simulated time, default 1s
      ambient: 22                       # °C, default 22
      probes:
        - rom: 28-0000000000a1          # DS18B20 ROM id: 28- then 12 lowercase hex digits
          kind: fridge                  # fridge | freezer | incubator
          failure:                      # optional
            kind: door-open             # door-open | compressor-stop | probe-disconnect
            at: 60s                     # simulated time after start
            duration: 10m               # optional; absent = until the end
        - rom: 28-0000000000b2
          kind: incubator
          ambient: 15
      """;

  private static List<String> problems(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> SimulatorConfig.parse("site.yaml", yaml)).problems();
  }

  @Test
  void parse_documentedExample_readsEveryKey() {
    SimulatorConfig config = SimulatorConfig.parse("site.yaml", EXAMPLE);

    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.onewireDir()).isEqualTo(Path.of("/tmp/sangfroid-w1"));
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.ambient()).isEqualTo(22.0);
    assertThat(config.probes())
        .containsExactly(
            new ProbeConfig(
                RomId.of("28-0000000000a1"),
                UnitKind.FRIDGE,
                22.0,
                Optional.of(Failure.during(FailureKind.DOOR_OPEN, Duration.ofSeconds(60), Duration.ofMinutes(10)))),
            new ProbeConfig(RomId.of("28-0000000000b2"), UnitKind.INCUBATOR, 15.0, Optional.empty()));
  }

  @Test
  void parse_onlyRequiredKeys_appliesDefaults() {
    SimulatorConfig config =
        SimulatorConfig.parse(
            "site.yaml",
            """
            onewireDir: w1
            ambient: 30
            probes:
              - rom: 28-0000000000a1
                kind: freezer
                failure: {kind: compressor-stop, at: 0s}
            """);

    assertThat(config.seed()).isEqualTo(SimulatorConfig.DEFAULT_SEED);
    assertThat(config.step()).isEqualTo(SimulatorConfig.DEFAULT_STEP);
    assertThat(config.probes().get(0).ambient()).as("site ambient inherited").isEqualTo(30.0);
    assertThat(config.probes().get(0).failure())
        .contains(Failure.from(FailureKind.COMPRESSOR_STOP, Duration.ZERO));
  }

  @Test
  void parse_manyMistakes_reportsEveryOneWithItsLine() {
    List<String> problems =
        problems(
            """
            seed: forty-two
            onewireDir: /tmp/w1
            step: 0s
            ambient: 99
            colour: blue
            probes:
              - rom: 28-0000000000A1
                kind: fridge
              - rom: 28-0000000000b2
                kind: cooler
                failure:
                  kind: door-closed
                  duration: forever
              - rom: 28-0000000000b2
                kind: freezer
                flavour: x
            """);

    assertThat(problems)
        .containsExactly(
            "site.yaml:1: seed [forty-two] must be a whole number.",
            "site.yaml:3: step [0s] must be a duration from 100ms to 1h such as 30s, 5m or 2h.",
            "site.yaml:4: ambient [99] must be a temperature from -40 to 60 °C.",
            "site.yaml:5: colour is not a known setting (known here: ambient, onewireDir, probes, seed, step)",
            "site.yaml:7: probes[0].rom [28-0000000000A1] must be 28- then 12 lowercase hex digits, such as"
                + " 28-0000000000a1.",
            "site.yaml:10: probes[1].kind [cooler] must be one of fridge, freezer, incubator, ult-freezer, cold-room, transport-box.",
            "site.yaml:12: probes[1].failure.kind [door-closed] must be one of door-open, compressor-stop,"
                + " probe-disconnect, crc-error, power-on-reset, empty-read.",
            "site.yaml:12: probes[1].failure.at is missing",
            "site.yaml:13: probes[1].failure.duration [forever] must be a duration from 1s to 365d such as 30s, 5m"
                + " or 2h.",
            "site.yaml:14: probes[2].rom [28-0000000000b2] must be unique, found also on line 9.",
            "site.yaml:16: probes[2].flavour is not a known setting (known here: ambient, failure, kind, rom)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          seed: 1                                            | site.yaml:1: onewireDir is missing
          onewireDir: w1                                     | site.yaml:1: probes is missing
          'onewireDir: w1\nprobes: []'                       | site.yaml:2: probes must list at least one probe
          'onewireDir: w1\nprobes: fridge'                   | site.yaml:2: probes must be a list (lines starting with '- ')
          'onewireDir: w1\nprobes:\n  - rom: 28-0000000000a1' | site.yaml:3: probes[0].kind is missing
          'onewireDir: w1\nprobes:\n  - kind: fridge'        | site.yaml:3: probes[0].rom is missing
          'onewireDir: w1\nprobes:\n  - fridge'              | site.yaml:3: probes[0] must be a section of 'key: value' lines
          'onewireDir: w1\nstep: 2h\nprobes: []'             | site.yaml:2: step [2h] must be a duration from 100ms to 1h such as 30s, 5m or 2h.
          '- a\n- b'                                         | site.yaml:1: the file must be a section of 'key: value' lines
          'seed: [1]'                                        | site.yaml:1: seed must be a single value, not a list
          'onewireDir: w1\nprobes:\n  - rom: \"\"\n    kind: fridge' | site.yaml:3: probes[0].rom [] must be 28- then 12 lowercase hex digits, such as 28-0000000000a1.
          'onewireDir: w1\nprobes:\n  - {rom: 28-0000000000a1, kind: fridge, failure: {at: 1s}}' | site.yaml:3: probes[0].failure.kind is missing
          """)
  void parse_oneMistake_reportsItFirst(String yaml, String problem) {
    assertThat(problems(yaml.replace("\\n", "\n"))).first().isEqualTo(problem);
  }

  @Test
  void parse_failureMistakes_reportedWithLines() {
    List<String> problems =
        problems(
            """
            onewireDir: w1
            probes:
              - rom: 28-0000000000a1
                kind: fridge
                failure:
                  kind: door-open
                  at: -5s
                  duration: 0s
                  when: now
            """);

    assertThat(problems)
        .containsExactly(
            "site.yaml:7: probes[0].failure.at [-5s] must be a duration from 0s to 365d such as 30s, 5m or 2h.",
            "site.yaml:8: probes[0].failure.duration [0s] must be a duration from 1s to 365d such as 30s, 5m or 2h.",
            "site.yaml:9: probes[0].failure.when is not a known setting (known here: at, duration, kind)");
  }

  @Test
  void load_file_namesTheFileInEveryProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "onewireDir: w1\nprobes:\n  - rom: 28-0000000000a1\n    kind: fridge\n    ambient: hot\n");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SimulatorConfig.load(file));

    assertThat(e.problems()).containsExactly(file + ":5: probes[0].ambient [hot] must be a number such as 4.5 or -25.");
  }

  @Test
  void load_missingFile_saysItCannotBeRead(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SimulatorConfig.load(file));

    assertThat(e.problems()).singleElement().asString().startsWith(file + ": cannot be read");
  }
}
