package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.simulator.coap.CoapTemperatureNode;
import picocli.CommandLine;

/** Issue 3 (Sensors): {@code discover --config} asks each configured CoAP node, over real UDP. */
class AgentMainCoapIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CoapTemperatureNode fridge = CoapTemperatureNode.plain(LOOPBACK, Clock.systemUTC()).start();
  private final CoapTemperatureNode freezer =
      CoapTemperatureNode.secure(LOOPBACK, Clock.systemUTC(), "freezer-node", KEY).start();
  private final CoapTemperatureNode gone = CoapTemperatureNode.plain(LOOPBACK, Clock.systemUTC()).start();

  @AfterEach
  void stopNodes() {
    fridge.close();
    freezer.close();
    gone.close();
  }

  private int run(String... args) {
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config(String sensors) throws Exception {
    Files.writeString(dir.resolve("freezer.psk"), HexFormat.of().formatHex(KEY) + "\n");
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: unit-1
            profile: RBC_STORE_EU
            sensors:
        %s""".formatted(dir.resolve("data"), sensors.indent(6)));
  }

  @Test
  void discover_configWithCoapNodes_listsEachWithItsTemperatureOrWhy() throws Exception {
    fridge.timestamps(false);
    fridge.temperature(4.125);
    freezer.timestamps(false);
    freezer.temperature(-29.5);
    gone.stop();
    Path file = config("""
        - id: fridge-node
          type: coap
          uri: %s
        - id: freezer-node
          type: coap
          uri: %s
          psk:
            identity: freezer-node
            keyFile: %s
        - id: gone-node
          type: coap
          uri: %s
        """.formatted(fridge.uri(), freezer.uri(), dir.resolve("freezer.psk"), gone.uri()));

    assertThat(run("discover", "--config", file.toString(), "--timeout", "500ms")).isEqualTo(1);

    assertThat(out.toString().lines()).containsExactly(
        "CoAP nodes in " + file + ":",
        "fridge-node   " + fridge.uri() + "  4.125 °C",
        "freezer-node  " + freezer.uri() + "  -29.500 °C",
        "gone-node     " + gone.uri() + "  disconnected: no answer within 500ms",
        "3 CoAP node(s), 2 with a temperature.");
    assertThat(err.toString()).as("no 1-Wire probe is configured, so no 1-Wire complaint").isEmpty();
  }

  @Test
  void discover_everyNodeAnswersAndDs18b20sFound_exitsZero() throws Exception {
    fridge.temperature(4.0);
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.25);
    Path file = config("""
        - id: 28-0316a2794aff
          type: ds18b20
        - id: fridge-node
          type: coap
          uri: %s
        """.formatted(fridge.uri()));

    assertThat(run("discover", "-c", file.toString(), "--onewire", wire.path().toString())).isZero();

    assertThat(out.toString().lines()).hasSize(5).startsWith(
        "28-0316a2794aff  4.250 °C",
        "1 probe(s) found.",
        "CoAP nodes in " + file + ":")
        .last().isEqualTo("1 CoAP node(s), 1 with a temperature.");
  }

  @Test
  void discover_nodeSendsAnotherUnit_saysWhichFieldIsWrong() throws Exception {
    fridge.payload("[{\"n\":\"5700\",\"v\":39.2,\"u\":\"Far\"}]");
    Path file = config("""
        - id: fridge-node
          type: coap
          uri: %s
        """.formatted(fridge.uri()));

    assertThat(run("discover", "-c", file.toString())).isEqualTo(1);

    assertThat(out.toString()).contains("fridge-node  " + fridge.uri()
        + "  crc_error: records[0].u [Far] must be Cel (degrees Celsius).");
  }
}
