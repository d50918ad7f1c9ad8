package org.sangfroid.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = GatewayMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void checkConfig_goodFile_exitsZeroWithASummary() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);

    int code = run("check-config", file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("OK: " + file + ": 1 site, 2 agents, 3 units.")
        .contains("MQTT:   embedded broker on 127.0.0.1:0");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkConfig_fileWithProblems_exitsTwoAndListsEachAsFileLineWhat() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), """
        dataDir: ./data
        http:
          port: http
        sites:
          - id: alarms
        """);

    int code = run("check-config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        file + ":3: http.port [http] must be a whole number from 0 to 65535.",
        file + ":5: sites[0].id [alarms] must not be alarms or gateway (reserved MQTT topic names).",
        "2 problems in " + file);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfig_missingFile_exitsTwoSayingWhy() {
    int code = run("check-config", dir.resolve("nope.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith(dir.resolve("nope.yaml") + ": cannot be read");
  }

  @Test
  void run_fileWithProblems_exitsTwoWithoutStarting() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "sites: []\n");

    int code = run("run", "--config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(file + ":1: dataDir is missing");
  }

  @Test
  void help_listsTheCommandsForAnOperator() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("Usage: sangfroid-gateway").contains("run").contains("check-config")
        .contains("Exit codes");
  }

  @Test
  void version_saysWhichBuild() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("sangfroid-gateway ");
  }

  @Test
  void noCommand_isAUsageErrorWithExitTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing a command: run or check-config.");
  }
}
