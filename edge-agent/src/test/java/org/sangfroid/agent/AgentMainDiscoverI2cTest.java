package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.sht.ShtSensor.Model;
import org.sangfroid.agent.testkit.FakeBuses;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.FakeSht;
import org.sangfroid.agent.testkit.FakeTime;
import picocli.CommandLine;

/**
 * Issue 3, {@code discover}: SHT3x/SHT4x sensors on I2C, found at their known addresses by one
 * measurement through the driver's port, on fake chips that acknowledge only their own command.
 */
class AgentMainDiscoverI2cTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final FakeTime time = new FakeTime();
  private final FakeBuses buses = new FakeBuses();
  private Path dev;
  private Path oneWire;

  @BeforeEach
  void device() throws Exception {
    dev = Files.createDirectories(dir.resolve("dev"));
    oneWire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.25).path();
  }

  private void bus(int n) throws Exception {
    Files.writeString(dev.resolve("i2c-" + n), "");
  }

  private int run(String... args) {
    CommandLine cli = AgentMain.commandLine(new AgentMain.Hardware(() -> buses, time, dev));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config(String sensors) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        onewire:
          path: %s
        units:
          - id: plt-incubator-1
            profile: PLT_STORE
            sensors:
        %s""".formatted(oneWire, sensors.indent(6)));
  }

  @Test
  void discover_twoShtOnBusOne_listsAddressFamilyAndValues() throws Exception {
    bus(1);
    buses.plug(new I2cDevice(1, 0x44), new FakeSht(time, Model.SHT3X).raw(0x47AE, 0x8000))
        .plug(new I2cDevice(1, 0x46), new FakeSht(time, Model.SHT4X).raw(0x6666, 0x8000));

    assertThat(run("discover", "--onewire", oneWire.toString())).isZero();

    assertThat(out.toString().lines()).containsExactly(
        "28-0316a2794aff  4.250 °C",
        "1 probe(s) found.",
        "I2C bus 1 (" + dev.resolve("i2c-1") + "):",
        "  0x44  SHT3x  4.001 °C, 50.0 %RH",
        "  0x46  SHT4x  25.000 °C, 56.5 %RH",
        "2 I2C sensor(s) found (asked 0x44, 0x45, 0x46).",
        "MAX31865 boards (PT100/PT1000 probes) are on SPI, not I2C: they cannot be listed here; 'status' shows"
            + " their readings once the agent runs.");
    assertThat(err.toString()).isEmpty();
    assertThat(buses.isClosed()).isTrue();
  }

  @Test
  void discover_sensorSendingBadCrc_listedAsAnsweringBadly() throws Exception {
    bus(1);
    buses.plug(new I2cDevice(1, 0x45), new FakeSht(time, Model.SHT4X).corruptTemperatureCrc());

    assertThat(run("discover", "--onewire", oneWire.toString())).isZero();

    assertThat(out.toString()).contains("  0x45  SHT4x  answers, but crc_error: CRC mismatch in ");
  }

  @Test
  void discover_noI2cBusAndNoneConfigured_notesItAndStillSucceeds() {
    assertThat(run("discover", "--onewire", oneWire.toString())).isZero();

    assertThat(err.toString()).isEqualTo("No I2C bus at " + dev.resolve("i2c-1") + ": enable I2C with"
        + " 'dtparam=i2c_arm=on' in /boot/firmware/config.txt and reboot. (SHT3x/SHT4x sensors were not looked for.)"
        + System.lineSeparator());
    assertThat(out.toString()).doesNotContain("I2C bus");
  }

  @Test
  void discover_configWithoutShtAndNoI2cBus_saysNothingAboutI2c() throws Exception {
    Path file = config("""
        - id: 28-0316a2794aff
          type: ds18b20
        """);

    assertThat(run("discover", "--config", file.toString())).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString().lines()).containsExactly("28-0316a2794aff  4.250 °C", "1 probe(s) found.");
  }

  @Test
  void discover_configuredShtOfTheOtherFamily_saysWhichTypeToSet() throws Exception {
    bus(1);
    buses.plug(new I2cDevice(1, 0x44), new FakeSht(time, Model.SHT3X));
    Path file = config("""
        - id: room-sht
          type: sht4x
        """);

    assertThat(run("discover", "--config", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains("Probe room-sht is configured as sht4x, but an SHT3x answers at 0x44 on "
        + dev.resolve("i2c-1") + ": set 'type: sht3x'.");
  }

  @Test
  void discover_configuredShtMissing_saysWhatToCheck() throws Exception {
    bus(1);
    Path file = config("""
        - id: room-sht
          type: sht3x
          address: 0x45
        """);

    assertThat(run("discover", "--config", file.toString())).isEqualTo(1);

    assertThat(out.toString()).contains("0 I2C sensor(s) found (asked 0x44, 0x45, 0x46).");
    assertThat(err.toString()).contains("Probe room-sht (SHT3x at 0x45 on " + dev.resolve("i2c-1") + ") did not"
        + " answer. Check its wiring: SDA to GPIO2 (pin 3), SCL to GPIO3 (pin 5), VDD to 3.3 V, GND; and its address.");
  }

  @Test
  void discover_configuredShtOnABusNotEnabled_failsNamingTheProbes() throws Exception {
    Path file = config("""
        - id: room-sht
          type: sht4x
          i2c:
            bus: 3
        """);

    assertThat(run("discover", "--config", file.toString())).isEqualTo(1);

    assertThat(err.toString()).contains("No I2C bus at " + dev.resolve("i2c-3") + ": enable I2C with"
        + " 'dtparam=i2c_arm=on' in /boot/firmware/config.txt and reboot. These probes cannot be read: room-sht.");
  }
}
