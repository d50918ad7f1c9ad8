package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sangfroid.agent.testkit.FakeOneWire;
import picocli.CommandLine;

class AgentMainTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config(String units) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1883
        units:
        %s""".formatted(dir.resolve("data"), units));
  }

  @Test
  void checkConfig_validFile_printsSummaryAndExitsZero() throws Exception {
    Path file = config("""
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    assertThat(run("check-config", file.toString())).isZero();

    assertThat(out.toString()).isEqualTo("OK: " + file + ": site casa-01, agent agent-01, 1 unit(s), 1 probe(s),"
        + " tick 1m, broker tcp://127.0.0.1:1883, outbox " + dir.resolve("data/outbox.db") + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkConfig_badFile_printsEveryProblemWithLineAndExitsTwo() throws Exception {
    Path file = config("""
          - id: rbc-fridge-1
            profile: RBC
            sensors:
              - id: 28-0316A2794AFF
                type: ds18b20
        """);

    assertThat(run("check-config", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines()).containsExactly(
        file + ":8: units[0].profile [RBC] must be one of FFP_CRYO_EU, FFP_US, PLT_STORE, RBC_STORE_EU, RBC_STORE_US.",
        file + ":10: units[0].sensors[0].id [28-0316A2794AFF] must be a DS18B20 ROM id: '28-' then 12 lowercase"
            + " hex digits, such as 28-0316a2794aff.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfig_missingFile_saysSoAndExitsTwo() {
    assertThat(run("check-config", dir.resolve("nope.yaml").toString())).isEqualTo(2);

    assertThat(err.toString()).startsWith(dir.resolve("nope.yaml") + ": cannot be read");
  }

  @Test
  void run_badConfig_printsProblemsAndExitsTwoWithoutStarting() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "site: casa-01\n");

    assertThat(run("run", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString()).contains(file + ":1: agent is missing");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void discover_probesOnTheBus_listsIdsWithTemperatures() {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"))
        .probe("28-0316a2794aff", 4.25)
        .raw("28-00000b0c1d2e", "ff ff ff ff ff ff ff ff ff : crc=c9 NO\nff ff ff ff ff ff ff ff ff t=-62\n");

    assertThat(run("discover", "--onewire", wire.path().toString())).isZero();

    assertThat(out.toString().lines()).containsExactly(
        "28-00000b0c1d2e  disconnected",
        "28-0316a2794aff  4.250 °C",
        "2 probe(s) found.");
  }

  @Test
  void discover_noBus_explainsAndExitsOne() {
    assertThat(run("discover", "--onewire", dir.resolve("missing").toString())).isEqualTo(1);

    assertThat(err.toString()).contains("No 1-Wire bus at " + dir.resolve("missing")).contains("dtoverlay=w1-gpio");
  }

  @Test
  void discover_busWithoutProbes_explainsAndExitsOne() {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"));

    assertThat(run("discover", "--onewire", wire.path().toString())).isEqualTo(1);

    assertThat(err.toString()).contains("No DS18B20 probe found").contains("pull-up");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "check-config", "discover"})
  void help_everyCommand_printsUsageAndExitsZero(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    assertThat(run(args)).isZero();

    assertThat(out.toString()).contains("Usage: sangfroid-agent").contains("--version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "check-config", "discover"})
  void version_everyCommand_printsVersion(String command) {
    String[] args = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};

    assertThat(run(args)).isZero();

    assertThat(out.toString()).startsWith("sangfroid-agent ");
  }

  @Test
  void main_noCommand_printsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(2);

    assertThat(err.toString()).contains("Missing a command").contains("check-config");
  }

  @Test
  void main_unknownOption_exitsTwo() {
    assertThat(run("discover", "--bogus")).isEqualTo(2);

    assertThat(err.toString()).contains("Unknown option: '--bogus'");
  }
}
