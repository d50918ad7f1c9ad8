package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        file + ":8: units[0].profile [RBC] must be one of FFP_CRYO_EU, FFP_US, PLASMA_FRACT_PHEUR, PLASMA_FRACT_US_CA, PLT_STORE, RBC_STORE_EU, RBC_STORE_US, RBC_TRANSPORT, THAWED_PLASMA, ULT_RBC, VACCINE_2_8_REF.",
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

  @Test
  void discover_badConfig_printsItsProblemsAndExitsTwo() throws Exception {
    Path file = config("""
          - id: unit-1
            profile: PLT_STORE
            sensors:
              - id: node-1
                type: coap
                uri: http://192.0.2.10/3303/0/5700
        """);

    assertThat(run("discover", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines()).containsExactly(file + ":12: units[0].sensors[0].uri"
        + " [http://192.0.2.10/3303/0/5700] must be coap://HOST/PATH or coaps://HOST/PATH, such as"
        + " coap://192.0.2.10/3303/0/5700.");
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "0s", "-5s"})
  void discover_badTimeout_exitsTwo(String timeout) {
    assertThat(run("discover", "--timeout", timeout)).isEqualTo(2);

    assertThat(err.toString()).contains("Invalid value for option '--timeout'").contains("'" + timeout + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "check-config", "discover", "rtd", "self-test"})
  void help_everyCommand_printsUsageAndExitsZero(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    assertThat(run(args)).isZero();

    assertThat(out.toString()).contains("Usage: sangfroid-agent").contains("--version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "check-config", "discover", "rtd", "self-test"})
  void version_everyCommand_printsVersion(String command) {
    String[] args = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};

    assertThat(run(args)).isZero();

    assertThat(out.toString()).startsWith("sangfroid-agent ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "run --config /etc/sangfroid/agent.yaml | /etc/sangfroid/agent.yaml",
      "run -c agent.yaml                      | agent.yaml"})
  void serviceRun_theServicesCommandLine_runsWithoutPicocli(String args, String file) {
    assertThat(AgentMain.serviceRun(args.split(" "))).contains(Path.of(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "run --config", "run --config -h", "run --help --config a.yaml",
      "run --config a.yaml --help", "run --config=a.yaml", "check-config a.yaml", "status --config a.yaml",
      "run --conf a.yaml"})
  void serviceRun_anyOtherCommandLine_leftToPicocli(String args) {
    assertThat(AgentMain.serviceRun(args.split(" "))).isEmpty();
  }

  @Test
  void main_noCommand_printsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(2);

    assertThat(err.toString()).contains("Missing a command").contains("check-config").contains("rtd");
  }

  @Test
  void main_unknownOption_exitsTwo() {
    assertThat(run("discover", "--bogus")).isEqualTo(2);

    assertThat(err.toString()).contains("Unknown option: '--bogus'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      "rtd --ohms 100"                 | "0.000 °C (PT100 at 100.000 Ω, IEC 60751)"
      "rtd --ohms 68.33"               | "-79.989 °C (PT100 at 68.330 Ω, IEC 60751)"
      "rtd --ohms 138.51"              | "100.012 °C (PT100 at 138.510 Ω, IEC 60751)"
      "rtd --ohms 18.52"               | "-200.000 °C (PT100 at 18.520 Ω, IEC 60751)"
      "rtd --ohms 1000 --r0 1000"      | "0.000 °C (PT1000 at 1000.000 Ω, IEC 60751)"
      "rtd --r0 1000 --ohms 683.25"    | "-80.001 °C (PT1000 at 683.250 Ω, IEC 60751)"
      "rtd --celsius -80"              | "68.325 Ω (PT100 at -80.000 °C, IEC 60751)"
      "rtd --celsius=-80 --r0 1000"    | "683.254 Ω (PT1000 at -80.000 °C, IEC 60751)"
      "rtd --celsius 4"                | "101.562 Ω (PT100 at 4.000 °C, IEC 60751)"
      "rtd --celsius -200"             | "18.520 Ω (PT100 at -200.000 °C, IEC 60751)"
      "rtd --celsius 100 --r0 100"     | "138.505 Ω (PT100 at 100.000 °C, IEC 60751)"
      """)
  void rtd_validInput_printsTheConversionAndExitsZero(String command, String line) {
    assertThat(run(command.split(" "))).isZero();

    assertThat(out.toString().lines()).containsExactly(line);
    assertThat(err.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      "rtd --ohms -5"              | "--ohms [-5.0] must be a positive number."
      "rtd --ohms 0"               | "--ohms [0.0] must be a positive number."
      "rtd --ohms NaN"             | "--ohms [NaN] must be a positive number."
      "rtd --ohms Infinity"        | "--ohms [Infinity] must be a positive number."
      "rtd --ohms 5"               | "--ohms [5.0] must be from 18.52 to 390.48 (-200 to 850 °C for a PT100)."
      "rtd --ohms 100 --r0 1000"   | "--ohms [100.0] must be from 185.20 to 3904.81 (-200 to 850 °C for a PT1000)."
      "rtd --celsius 900"          | "--celsius [900.0] must be from -200 to 850 °C (the IEC 60751 range)."
      "rtd --celsius NaN"          | "--celsius [NaN] must be from -200 to 850 °C (the IEC 60751 range)."
      "rtd --ohms 100 --r0 500"    | "--r0 [500] must be 100 (PT100) or 1000 (PT1000)."
      """)
  void rtd_nonsenseValue_explainsAndExitsTwo(String command, String message) {
    assertThat(run(command.split(" "))).isEqualTo(2);

    assertThat(err.toString().lines()).containsExactly(message);
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      "rtd"                         | "Missing required argument (specify one of these): (--ohms=R | --celsius=T)"
      "rtd --ohms 100 --celsius 0"  | "--ohms=R, --celsius=T are mutually exclusive (specify only one)"
      "rtd --ohms abc"              | "Invalid value for option '--ohms': 'abc' is not a double"
      "rtd --celsius"               | "Missing required parameter for option '--celsius' (T)"
      "rtd --r0 pt100 --ohms 100"   | "Invalid value for option '--r0': 'pt100' is not an int"
      """)
  void rtd_badCommandLine_printsUsageAndExitsTwo(String command, String message) {
    assertThat(run(command.split(" "))).isEqualTo(2);

    assertThat(err.toString()).contains(message).contains("Usage: sangfroid-agent rtd");
  }

  @Test
  void checkConfig_pt100AndSht_countsThemAsProbes() throws Exception {
    Path file = config("""
          - id: ult-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: ult-1-pt100
                type: max31865
              - id: room-sht
                type: sht4x
        """);

    assertThat(run("check-config", file.toString())).isZero();

    assertThat(out.toString()).contains("1 unit(s), 2 probe(s)");
  }
}
