package org.sangfroid.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cli = SimulatorMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private String goodConfig() {
    return "onewireDir: " + dir.resolve("w1") + "\nprobes:\n  - rom: 28-0000000000a1\n    kind: fridge\n";
  }

  @Test
  void checkConfig_goodFile_exitsZeroAndSaysOk() throws IOException {
    Path file = write("site.yaml", goodConfig());

    int code = execute("check-config", file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo(file + ": OK, 1 probe(s)\n");
  }

  @Test
  void checkConfig_badFile_exitsTwoWithEveryProblemAndItsLine() throws IOException {
    Path file =
        write(
            "bad.yaml",
            "onewireDir: /tmp/w1\nprobes:\n  - rom: 28-XYZ\n    kind: fridge\n  - rom: 28-0000000000a1\n    kind: ice\n");

    int code = execute("check-config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            file + ":3: probes[0].rom [28-XYZ] must be 28- then 12 lowercase hex digits, such as 28-0000000000a1.",
            file + ":6: probes[1].kind [ice] must be one of fridge, freezer, incubator, ult-freezer, cold-room, transport-box.");
  }

  @Test
  void checkConfig_missingFile_exitsTwo() {
    int code = execute("check-config", dir.resolve("absent.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("absent.yaml: cannot be read");
  }

  @Test
  void help_listsSubcommandsForATester() {
    int code = execute("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("run", "check-config", "DS18B20", "Exit codes");
  }

  @Test
  void runHelp_describesConfigOption() {
    int code = execute("run", "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("--config=FILE", "Ctrl-C");
  }

  @Test
  void version_printsProductName() {
    int code = execute("--version");

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("sangfroid-simulator ");
  }

  @Test
  void run_withoutScenarioOrConfig_isAUsageError() {
    int code = execute("run");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Give either a scenario file (run SCENARIO) or a site configuration (run --config FILE).");
  }

  @Test
  void run_badConfig_exitsTwoBeforeStarting() throws IOException {
    Path file = write("bad.yaml", "probes: []\n");

    int code = execute("run", "--config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines()).first().isEqualTo(file + ":1: onewireDir is missing");
  }

  @Test
  void run_forAShortTime_writesTheTreeAndExitsZero() throws IOException {
    Path file = write("site.yaml", goodConfig());

    int code = execute("run", "--config", file.toString(), "--for", "200ms");

    assertThat(code).isZero();
    assertThat(dir.resolve("w1/28-0000000000a1/w1_slave")).exists();
  }

  @Test
  void checkScenario_libraryFile_exitsZeroAndSaysWhatItHolds() {
    int code = execute("check-scenario", "scenarios/fridge-door-left-open.yaml");

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("scenarios/fridge-door-left-open.yaml: OK, 1 unit(s), 1 event(s), 4 expected"
        + " alarm(s), 12h simulated\n");
  }

  @Test
  void checkScenario_badFile_exitsTwoWithEveryProblemAndItsLine() throws IOException {
    Path file = write("bad.yaml", "name: Bad\nduration: 2h\nsites:\n  - id: casa-01\n    agents:\n      - id: a1\n"
        + "        units:\n          - {id: f1, kind: fridge, profile: RBC}\nevents:\n"
        + "  - {type: door-open, unit: f2, at: 1h, duration: 5m}\n");

    int code = execute("check-scenario", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(file + ":8: sites[0].agents[0].units[0].profile [RBC] must be one of")
        .contains(file + ":10: events[0].unit [f2] must be a unit of this scenario");
  }

  @Test
  void run_scenarioAndConfigTogether_isAUsageError() {
    int code = execute("run", "scenarios/agent-crash.yaml", "--config", "site.yaml");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Give either a scenario file");
  }

  @Test
  void run_speedWithConfig_isAUsageError() throws IOException {
    Path file = write("site.yaml", goodConfig());

    int code = execute("run", "--config", file.toString(), "--speed", "10");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--speed, --as-fast-as-possible, --out and --seed are for scenarios");
  }

  @Test
  void run_speedAndAsFastAsPossible_isAUsageError() {
    int code = execute("run", "scenarios/agent-crash.yaml", "--speed", "10", "--as-fast-as-possible");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void run_folderNotWrittenByARun_isRefusedAndLeftAlone() throws IOException {
    Path foreign = Files.createDirectories(dir.resolve("agent-crash.run"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");

    int code = execute("run", "scenarios/agent-crash.yaml", "--out", dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains(foreign + " exists and was not written by a simulator run");
    assertThat(foreign.resolve("notes.txt")).hasContent("mine");
  }
}
