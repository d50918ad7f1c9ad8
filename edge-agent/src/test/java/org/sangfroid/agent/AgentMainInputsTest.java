package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** 'check-config' tells the technician what each input means and the config.txt line for its pull. */
class AgentMainInputsTest {
  @TempDir Path dir;

  @Test
  void checkConfig_unitWithInputs_printsEachWithItsConfigTxtLine() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: plt-incubator-1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
            inputs:
              door: {pin: 5, activeWhen: high}
              power: {pin: 6, activeWhen: low, pull: off, debounce: 1s}
              agitator: {pin: 13, activeWhen: high, pull: down}
        """.formatted(dir.resolve("data")));
    StringWriter out = new StringWriter();
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    assertThat(cli.execute("check-config", file.toString())).isZero();

    assertThat(out.toString().lines().skip(1)).containsExactly(
        "  input: unit plt-incubator-1, door on GPIO5: door open when high, debounce 200ms;"
            + " in /boot/firmware/config.txt: gpio=5=ip,pu",
        "  input: unit plt-incubator-1, power on GPIO6: mains power off when low, debounce 1s;"
            + " in /boot/firmware/config.txt: gpio=6=ip,pn",
        "  input: unit plt-incubator-1, agitator on GPIO13: agitator stopped when high, debounce 200ms;"
            + " in /boot/firmware/config.txt: gpio=13=ip,pd");
  }
}
