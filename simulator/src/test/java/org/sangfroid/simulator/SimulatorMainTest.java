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
}
