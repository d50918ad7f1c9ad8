package org.sangfroid.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.config.AgentConfig.InputPin;
import org.sangfroid.agent.config.AgentConfig.Level;
import org.sangfroid.agent.config.AgentConfig.Pull;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.excursion.InputChange;

/** The units' door, power and agitator inputs in the agent's file (issue 3: inputs as events). */
class AgentConfigInputsTest {
  @TempDir Path dir;

  /** A file whose first unit (a platelet incubator, DS18B20 on GPIO4) has {@code inputs} (from line 12). */
  private Path file(String inputs, String tail) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: plt-incubator-1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
            inputs:
        %s%s""".formatted(inputs.indent(6), tail));
  }

  private static List<String> problems(Path file) {
    try {
      AgentConfig.load(file);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems in " + file);
  }

  @Test
  void load_threeInputs_readsEveryKeyWithDefaults() throws Exception {
    Path file = file("""
        door: {pin: 5, activeWhen: high, debounce: 500ms}
        power:
          pin: 6
          activeWhen: low
          pull: off
        agitator: {pin: 13, activeWhen: high, pull: down, debounce: 2s}
        """, "");

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.units().get(0).inputs()).containsExactly(
        new InputPin(InputChange.Input.DOOR_OPEN, 5, Level.HIGH, Pull.UP, Duration.ofMillis(500)),
        new InputPin(InputChange.Input.POWER_LOST, 6, Level.LOW, Pull.OFF, AgentConfig.DEFAULT_DEBOUNCE),
        new InputPin(InputChange.Input.AGITATOR_STOPPED, 13, Level.HIGH, Pull.DOWN, Duration.ofSeconds(2)));
    assertThat(config.usesInputs()).isTrue();
    assertThat(config.units().get(0).inputs().get(0).key()).isEqualTo("door");
  }

  @Test
  void load_noInputs_usesNoInputs() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: u1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.units().get(0).inputs()).isEmpty();
    assertThat(config.usesInputs()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      high, pin high | HIGH | true  | false
      low, pin low   | LOW  | false | true
      """)
  void activeAt_followsActiveWhen(String name, Level activeWhen, boolean activeWhenHigh, boolean activeWhenLow) {
    InputPin pin = new InputPin(InputChange.Input.DOOR_OPEN, 5, activeWhen, Pull.UP, Duration.ofMillis(200));

    assertThat(pin.activeAt(true)).isEqualTo(activeWhenHigh);
    assertThat(pin.activeAt(false)).isEqualTo(activeWhenLow);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      door: {pin: 28, activeWhen: high}                  | 13: units[0].inputs.door.pin [28] must be a whole number from 0 to 27.
      door: {pin: x, activeWhen: high}                   | 13: units[0].inputs.door.pin [x] must be a whole number from 0 to 27.
      door: {activeWhen: high}                           | 13: units[0].inputs.door.pin is missing
      door: {pin: 5}                                     | 13: units[0].inputs.door.activeWhen is missing: say which level the pin reads while the door is open (high or low)
      power: {pin: 6}                                    | 13: units[0].inputs.power.activeWhen is missing: say which level the pin reads while the mains power is off (high or low)
      door: {pin: 5, activeWhen: open}                   | 13: units[0].inputs.door.activeWhen [open] must be one of high, low.
      door: {pin: 5, activeWhen: high, pull: strong}     | 13: units[0].inputs.door.pull [strong] must be one of down, off, up.
      door: {pin: 5, activeWhen: high, debounce: 10ms}   | 13: units[0].inputs.door.debounce [10ms] must be a duration from 50ms to 1m
      door: {pin: 5, activeWhen: high, invert: true}     | 13: units[0].inputs.door.invert is not a known setting
      window: {pin: 5, activeWhen: high}                 | 13: units[0].inputs.window is not a known setting (known here: agitator, door, power)
      door: {pin: 4, activeWhen: high}                   | 13: units[0].inputs.door.pin [4] must not be a pin in use by the 1-Wire bus of the DS18B20 probes (GPIO4, set by provision.sh).
      door: {pin: 5, activeWhen: high}\\npower: {pin: 5, activeWhen: low} | 14: units[0].inputs.power.pin [5] must be used once, found also on line 13.
      """)
  void load_badInput_reportsFileAndLine(String inputs, String problem) throws Exception {
    Path file = file(inputs.replace("\\n", "\n") + "\n", "");

    assertThat(problems(file)).singleElement().asString().startsWith(file + ":" + problem);
  }

  @Test
  void load_inputPinsClashAcrossUnitsAndWithTheAlarm_eachReportedAtTheInput() throws Exception {
    Path file = file("""
        door: {pin: 17, activeWhen: high}
        power: {pin: 6, activeWhen: low}
        """, """
          - id: ffp-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-0316a2794b00
                type: ds18b20
            inputs:
              power: {pin: 6, activeWhen: low}
        localAlarm:
          buzzerPin: 17
        """);

    assertThat(problems(file)).containsExactly(
        file + ":13: units[0].inputs.door.pin [17] must not be a pin in use by the alarm's buzzerPin (line 23).",
        file + ":21: units[1].inputs.power.pin [6] must be used once, found also on line 14.");
  }

  @Test
  void load_inputOnAnI2cOrSpiPin_reportedWhenThatBusIsUsed() throws Exception {
    Path file = file("""
        door: {pin: 3, activeWhen: high}
        power: {pin: 10, activeWhen: low}
        """, """
          - id: ult-1
            profile: ULT_RBC
            sensors:
              - id: ult-1-pt100
                type: max31865
              - id: room-sht
                type: sht4x
        """);

    assertThat(problems(file)).containsExactly(
        file + ":13: units[0].inputs.door.pin [3] must not be a pin in use by I2C bus 1 (GPIO3 SCL).",
        file + ":14: units[0].inputs.power.pin [10] must not be a pin in use by SPI bus 0 (GPIO7 to GPIO11).");
  }
}
