package org.sangfroid.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 6, acceptance 2: {@code run SCENARIO} with a deliberately wrong expectation starts its own
 * broker and gateway, exits with 1 and names the alarm as missing in its summary and reports.
 */
class SimulatorMainScenarioIT {
  @TempDir Path dir;

  @Test
  void run_wrongExpectation_exitsWith1AndTheReportNamesItMissing() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SimulatorMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("run", "src/test/resources/scenarios/wrong-expectation.yaml", "--out", dir.toString());

    assertThat(code).as(out + "\n" + err).isEqualTo(1);
    assertThat(out.toString()).contains("A deliberately wrong expectation: FAILED (exit code 1)")
        .contains("MISSING     HIGH_TEMPERATURE on rbc-fridge-1, expected to start at +1h ±5m")
        .contains("Readings: 121 taken, 121 sent, 121 stored");
    assertThat(err.toString()).as("the progress bar").contains("100%  +2h of 2h");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("wrong-expectation.report.json").toFile());
    assertThat(json.get("verdict").asText()).isEqualTo("FAILED");
    assertThat(json.get("alarms").get("missing").get(0).get("kind").asText()).isEqualTo("HIGH_TEMPERATURE");
    assertThat(json.get("problems").get(0).asText()).isEqualTo("Missing: HIGH_TEMPERATURE on rbc-fridge-1, expected"
        + " to start at +1h (within 5m): no HIGH_TEMPERATURE was raised on rbc-fridge-1");
    assertThat(Files.readString(dir.resolve("wrong-expectation.report.html"), StandardCharsets.UTF_8))
        .contains("<span class=\"bad\">missing</span>");
    assertThat(Files.readString(dir.resolve("wrong-expectation.run/gateway.yaml"), StandardCharsets.UTF_8))
        .contains("profile: RBC_STORE_EU");
  }

  @Test
  void run_badScenario_exitsWith2AndSaysWhereWithoutRunning() {
    StringWriter err = new StringWriter();
    CommandLine cli = SimulatorMain.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("run", "src/test/resources/scenarios/no-such-file.yaml", "--out", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no-such-file.yaml: cannot be read");
  }
}
