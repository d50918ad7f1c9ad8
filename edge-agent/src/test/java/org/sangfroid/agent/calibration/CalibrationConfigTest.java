package org.sangfroid.agent.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.calibration.Calibration.Offset;
import org.sangfroid.agent.calibration.Calibration.Point;
import org.sangfroid.agent.calibration.Calibration.TwoPoint;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.config.ConfigException;

/** The {@code calibration} section of a probe in the agent's configuration file. */
class CalibrationConfigTest {
  @TempDir Path dir;

  /** A config whose one probe has {@code calibration} (indented as under the sensor, from line 13). */
  private Path config(String calibration) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: /var/lib/sangfroid/agent
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
                calibration:
        %s""".formatted(calibration.indent(10)));
  }

  private static List<String> problems(Path file) {
    try {
      AgentConfig.load(file);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems in " + file);
  }

  private static AgentConfig.Sensor sensor(Path file) {
    return AgentConfig.load(file).units().get(0).sensors().get(0);
  }

  @Test
  void offset_isRead() throws Exception {
    Path file = config("""
        certificate: LAB-2026-0142
        date: 2026-03-01
        due: 2027-03-01
        offset: -0.12
        """);

    assertThat(sensor(file).calibration()).contains(new Calibration("LAB-2026-0142", LocalDate.parse("2026-03-01"),
        LocalDate.parse("2027-03-01"), new Offset(-0.12)));
  }

  @Test
  void twoPoints_areRead_inFlowOrBlockStyle() throws Exception {
    Path file = config("""
        certificate: "CAL 2026/17"
        date: 2026-03-01
        due: "2027-03-01"
        points:
          - {raw: 0.10, reference: 0.00}
          - raw: 99.80
            reference: 100
        """);

    assertThat(sensor(file).calibration()).contains(new Calibration("CAL 2026/17", LocalDate.parse("2026-03-01"),
        LocalDate.parse("2027-03-01"), new TwoPoint(new Point(0.10, 0.0), new Point(99.80, 100.0))));
  }

  @Test
  void noCalibration_isEmpty_andEveryDriverAcceptsTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: /var/lib/sangfroid/agent
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: ult-freezer-1
            profile: ULT_RBC
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
              - id: ult-1-pt100
                type: max31865
                calibration: {certificate: A-1, date: 2026-01-01, due: 2027-01-01, offset: 0.3}
              - id: room-sht
                type: sht4x
                calibration: {certificate: A-2, date: 2026-01-01, due: 2027-01-01, offset: 0.1}
              - id: node-1
                type: coap
                uri: coap://192.0.2.21/3303/0/5700
                calibration: {certificate: A-3, date: 2026-01-01, due: 2027-01-01, offset: -0.2}
        """);

    List<AgentConfig.Sensor> sensors = AgentConfig.load(file).units().get(0).sensors();
    assertThat(sensors).extracting(s -> s.calibration().map(Calibration::certificate).orElse("none"))
        .containsExactly("none", "A-1", "A-2", "A-3");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2026-02-01\\noffset: 0.1         | 15: units[0].sensors[0].calibration.due [2026-02-01] must be after the calibration date (2026-03-01).
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2026-03-01\\noffset: 0.1         | 15: units[0].sensors[0].calibration.due [2026-03-01] must be after the calibration date (2026-03-01).
      certificate: A-1\\ndate: 1/3/2026\\ndue: 2027-03-01\\noffset: 0.1           | 14: units[0].sensors[0].calibration.date [1/3/2026] must be a date written YYYY-MM-DD, such as 2026-03-01.
      certificate: A-1\\ndate: 2026-02-30\\ndue: 2027-03-01\\noffset: 0.1         | 14: units[0].sensors[0].calibration.date [2026-02-30] must be a date written YYYY-MM-DD
      date: 2026-03-01\\ndue: 2027-03-01\\noffset: 0.1                            | 13: units[0].sensors[0].calibration.certificate is missing
      certificate: ''\\ndate: 2026-03-01\\ndue: 2027-03-01\\noffset: 0.1          | 13: units[0].sensors[0].calibration.certificate [] must be 1 to 64 characters
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01                       | 13: units[0].sensors[0].calibration needs offset (a check at one temperature) or points (a calibration at two).
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\noffset: warm        | 16: units[0].sensors[0].calibration.offset [warm] must be a number
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\noffset: -8          | 16: units[0].sensors[0].calibration.offset [-8.0] must be from -5 to 5 °C
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\noffset: 0.1\\npoints: [{raw: 0, reference: 0}, {raw: 10, reference: 10}] | 17: units[0].sensors[0].calibration has both offset and points: keep one
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\npoints: [{raw: 0.1, reference: 0}]                                    | 16: units[0].sensors[0].calibration.points [sequence] must list exactly two points
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\npoints: [{raw: 0.1, reference: 0}, {raw: 0.1, reference: 0.2}]      | 16: units[0].sensors[0].calibration.points [raw 0.1 and 0.1] must have two different raw values
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\npoints: [{raw: 0, reference: 0}, {raw: 10, reference: 12}]          | 16: units[0].sensors[0].calibration.points [raw 0.0 and 10.0] must give a slope from 0.9 to 1.1 (check that raw and reference are not swapped or mistyped), found 1.200.
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\npoints: [{raw: 0, reference: 0}, {raw: 100, reference: 0.1}]        | 16: units[0].sensors[0].calibration.points[1].reference [0.1] must be within 5 °C of the probe's raw value
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\npoints: [{raw: 0, reference: 0}, {raw: 10}]                         | 16: units[0].sensors[0].calibration.points[1].reference is missing
      certificate: A-1\\ndate: 2026-03-01\\ndue: 2027-03-01\\noffset: 0.1\\nlab: X                                                 | 17: units[0].sensors[0].calibration.lab is not a known setting
      """)
  void badCalibration_isReportedWithFileAndLine(String section, String problem) throws Exception {
    Path file = config(section.replace("\\n", "\n") + "\n");

    assertThat(problems(file)).singleElement().asString().startsWith(file + ":" + problem);
  }

  @Test
  void everyProblemOfACalibration_isReportedAtOnce() throws Exception {
    Path file = config("""
        date: 2027-03-01
        due: 2026-03-01
        offset: 9
        """);

    assertThat(problems(file)).containsExactly(
        file + ":13: units[0].sensors[0].calibration.certificate is missing",
        file + ":14: units[0].sensors[0].calibration.due [2026-03-01] must be after the calibration date (2027-03-01).",
        file + ":15: units[0].sensors[0].calibration.offset [9.0] must be from -5 to 5 °C (a larger correction means a"
            + " faulty probe or a typing error).");
  }
}
