package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.simulator.coap.CoapTemperatureNode;
import picocli.CommandLine;

/**
 * Issue 3 (CLI): {@code self-test} reads every probe with the real drivers (a fake 1-Wire tree, a
 * CoAP node over real UDP), checks ranges and calibration dates, and connects to a real broker.
 * Calibration dates are far from today (2020, 2099) so the outcome does not depend on the date.
 */
@ExtendWith(BrokerExtension.class)
class AgentMainSelfTestIT {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CoapTemperatureNode node =
      CoapTemperatureNode.plain(InetAddress.getLoopbackAddress(), Clock.systemUTC()).start();

  @AfterEach
  void stopNode() {
    node.close();
  }

  private int run(String... args) {
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** The output's lines, each cut into its cells (two spaces or more apart). */
  private List<List<String>> table() {
    return out.toString().lines().map(l -> List.of(l.strip().split(" {2,}"))).toList();
  }

  private Path config(String brokerUrl, FakeOneWire wire, String units) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-selftest
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        units:
        %s""".formatted(dir.resolve("data"), brokerUrl, wire.path(), units.indent(2)));
  }

  @Test
  void everyProbeGoodAndTheBrokerUp_printsTheTableAndExitsZero(TestBroker broker) throws Exception {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.125);
    node.timestamps(false);
    node.temperature(-29.5);
    Path file = config(broker.url(), wire, """
        - id: rbc-fridge-1
          profile: RBC_STORE_EU
          sensors:
            - id: 28-0316a2794aff
              type: ds18b20
              calibration: {certificate: LAB-2020-0142, date: 2020-03-01, due: 2099-03-01, offset: -0.12}
        - id: ffp-freezer-1
          profile: FFP_CRYO_EU
          sensors:
            - id: freezer-node
              type: coap
              uri: %s
              calibration: {certificate: LAB-2020-0077, date: 2020-03-01, due: 2099-03-01, offset: 0.2}
        """.formatted(node.uri()));

    assertThat(run("self-test", "--config", file.toString())).isZero();

    assertThat(table()).containsExactly(
        List.of("PROBE", "VALUE", "CHECK", "RESULT"),
        List.of("28-0316a2794aff", "4.005 °C (raw 4.125 °C)", "reading", "PASS", "unit rbc-fridge-1"),
        List.of("range", "PASS", "+2.0 to +6.0 °C (RBC_STORE_EU)"),
        List.of("calibration", "PASS", "LAB-2020-0142, due 2099-03-01"),
        List.of("freezer-node", "-29.300 °C (raw -29.500 °C)", "reading", "PASS", "unit ffp-freezer-1"),
        List.of("range", "PASS", "at or below -25.0 °C (FFP_CRYO_EU)"),
        List.of("calibration", "PASS", "LAB-2020-0077, due 2099-03-01"),
        List.of("broker", broker.url(), "connect", "PASS", "without a user name"),
        List.of("Self-test passed: 2 probe(s) and the broker, 7 checks."));
    // The columns line up under their headings.
    List<String> lines = out.toString().lines().toList();
    int checkColumn = lines.get(0).indexOf("CHECK");
    assertThat(lines.subList(1, 8)).allSatisfy(line ->
        assertThat(line.substring(checkColumn)).matches("(reading|range|calibration|connect) .*"));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void everyKindOfFailure_isAFailLineWithWhatToLookAt_andExitsOne(TestBroker broker) throws Exception {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"))
        .probe("28-0316a2794aff", 9.5)                       // a fridge too warm
        .probe("28-0316a2794b00", 4.0)
        .probe("28-0316a2794b01", 4.0)
        .raw("28-0316a2794b02", "72 01 4b 46 7f ff 0e 10 57 : crc=00 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n")
        .raw("28-0316a2794b03", "ff ff ff ff ff ff ff ff ff : crc=c9 NO\nff ff ff ff ff ff ff ff ff t=-62\n");
    node.stop();
    Path file = config("tcp://127.0.0.1:1", wire, """
        - id: rbc-fridge-1
          profile: RBC_STORE_EU
          sensors:
            - id: 28-0316a2794aff
              type: ds18b20
              calibration: {certificate: A-1, date: 2020-03-01, due: 2099-03-01, offset: 0.1}
            - id: 28-0316a2794b00
              type: ds18b20
              calibration: {certificate: A-2, date: 2020-03-01, due: 2021-03-01, offset: 0.1}
            - id: 28-0316a2794b01
              type: ds18b20
            - id: 28-0316a2794b02
              type: ds18b20
              calibration: {certificate: A-4, date: 2098-03-01, due: 2099-03-01, offset: 0.1}
            - id: 28-0316a2794b03
              type: ds18b20
              calibration: {certificate: A-5, date: 2020-03-01, due: 2099-03-01, offset: 0.1}
            - id: 28-0316a2794bff
              type: ds18b20
              calibration: {certificate: A-5, date: 2020-03-01, due: 2099-03-01, offset: 0.1}
            - id: fridge-node
              type: coap
              uri: %s
              calibration: {certificate: A-6, date: 2020-03-01, due: 2099-03-01, offset: 0.1}
        """.formatted(node.uri()));

    assertThat(run("self-test", "-c", file.toString(), "--timeout", "500ms")).isEqualTo(1);

    assertThat(table()).contains(
        List.of("28-0316a2794aff", "9.600 °C (raw 9.500 °C)", "reading", "PASS", "unit rbc-fridge-1"),
        List.of("range", "FAIL", "outside +2.0 to +6.0 °C (RBC_STORE_EU): is the unit at its temperature, and this"
            + " probe in it?"),
        List.of("calibration", "FAIL", "A-2 was due on 2021-03-01: have the probe calibrated, or replace it"),
        List.of("calibration", "FAIL", "none in the configuration: add its certificate, date, due and offset or"
            + " points"),
        List.of("28-0316a2794b02", "crc_error", "reading", "FAIL", "its answer failed the checksum: check the cable,"
            + " the connections and the pull-up"),
        List.of("calibration", "FAIL", "A-4 is dated 2098-03-01, after today (" + LocalDate.now(ZoneOffset.UTC)
            + "): check the date, or the device's clock"),
        List.of("28-0316a2794b03", "disconnected", "reading", "FAIL", "listed on the bus but not answering: check"
            + " its data wire and the pull-up"),
        List.of("28-0316a2794bff", "disconnected", "reading", "FAIL", "not found under " + wire.path()
            + ": check the wiring, or the id ('discover' lists the probes present)"),
        List.of("fridge-node", "disconnected", "reading", "FAIL", "no answer within 500ms"));
    assertThat(table()).filteredOn(cells -> cells.get(0).equals("broker")).singleElement().satisfies(cells -> {
      assertThat(cells.subList(0, 4)).containsExactly("broker", "tcp://127.0.0.1:1", "connect", "FAIL");
      assertThat(cells.get(4)).startsWith("without a user name: cannot connect: ");
    });
    assertThat(table()).last().isEqualTo(List.of("Self-test FAILED: 9 of 18 checks failed."));
  }

  @Test
  void badConfig_printsItsProblemsAndExitsTwo() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "site: casa-01\n");

    assertThat(run("self-test", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString()).contains(file + ":1: agent is missing");
    assertThat(out.toString()).isEmpty();
  }
}
