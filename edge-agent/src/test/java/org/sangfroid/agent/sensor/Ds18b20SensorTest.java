package org.sangfroid.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.Quality;

class Ds18b20SensorTest {
  private static final String ROM = "28-0316a2794aff";
  private static final String GOOD = "72 01 4b 46 7f ff 0e 10 57";

  @TempDir Path bus;

  private static String file(String bytes, String crc, String t) {
    return bytes + " : crc=57 " + crc + "\n" + bytes + " t=" + t + "\n";
  }

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("fridge", file(GOOD, "YES", "4125"), Quality.OK, 4.125),
        Arguments.of("room", file(GOOD, "YES", "23125"), Quality.OK, 23.125),
        Arguments.of("zero", file(GOOD, "YES", "0"), Quality.OK, 0.0),
        Arguments.of("freezer", file(GOOD, "YES", "-30500"), Quality.OK, -30.5),
        Arguments.of("lowest in range", file(GOOD, "YES", "-55000"), Quality.OK, -55.0),
        Arguments.of("highest in range", file(GOOD, "YES", "125000"), Quality.OK, 125.0),
        Arguments.of("just below range", file(GOOD, "YES", "-55001"), Quality.OUT_OF_RANGE, Double.NaN),
        Arguments.of("above range", file(GOOD, "YES", "127937"), Quality.OUT_OF_RANGE, Double.NaN),
        Arguments.of("power-on value", file(GOOD, "YES", "85000"), Quality.POWER_ON_RESET, Double.NaN),
        Arguments.of("85.001 is a reading", file(GOOD, "YES", "85001"), Quality.OK, 85.001),
        Arguments.of("crc failed", file(GOOD, "NO", "23125"), Quality.CRC_ERROR, Double.NaN),
        Arguments.of("bus floating high", file("ff ff ff ff ff ff ff ff ff", "NO", "-62"),
            Quality.DISCONNECTED, Double.NaN),
        Arguments.of("data shorted to ground", file("00 00 00 00 00 00 00 00 00", "YES", "0"),
            Quality.DISCONNECTED, Double.NaN),
        Arguments.of("empty file", "", Quality.DISCONNECTED, Double.NaN),
        Arguments.of("only the crc line", GOOD + " : crc=57 YES\n", Quality.CRC_ERROR, Double.NaN),
        Arguments.of("no t=", GOOD + " : crc=57 YES\n" + GOOD + "\n", Quality.CRC_ERROR, Double.NaN),
        Arguments.of("t= not a number", file(GOOD, "YES", "abc"), Quality.CRC_ERROR, Double.NaN),
        Arguments.of("garbage", "hello\nworld\n", Quality.CRC_ERROR, Double.NaN),
        Arguments.of("no final newline", GOOD + " : crc=57 YES\n" + GOOD + " t=4125", Quality.OK, 4.125),
        Arguments.of("three lines", file(GOOD, "YES", "4125") + "extra\n", Quality.CRC_ERROR, Double.NaN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void read_w1SlaveContent_givesQualityAndValue(String name, String content, Quality quality, double celsius) {
    new FakeOneWire(bus).raw(ROM, content);

    SensorReading r = new Ds18b20Sensor(bus, ROM).read();

    assertThat(r.quality()).isEqualTo(quality);
    if (quality == Quality.OK) {
      assertThat(r.celsius()).isEqualTo(celsius);
    } else {
      assertThat(r.celsius()).isNaN();
    }
  }

  @Test
  void read_deviceFolderMissing_disconnected() {
    assertThat(new Ds18b20Sensor(bus, ROM).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_probeUnpluggedAfterReading_disconnected() {
    FakeOneWire wire = new FakeOneWire(bus).probe(ROM, 4.5);
    Ds18b20Sensor sensor = new Ds18b20Sensor(bus, ROM);
    assertThat(sensor.read()).isEqualTo(SensorReading.ok(4.5));

    wire.unplug(ROM);

    assertThat(sensor.read().quality()).isEqualTo(Quality.DISCONNECTED);
  }

  @Test
  void read_w1SlaveIsAFolder_disconnected() throws Exception {
    java.nio.file.Files.createDirectories(bus.resolve(ROM).resolve("w1_slave"));

    assertThat(new Ds18b20Sensor(bus, ROM).read().quality()).isEqualTo(Quality.DISCONNECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10-0316a2794aff", "28-0316A2794AFF", "28-0316a2794af", "w1_bus_master1", ""})
  void new_notADs18b20RomId_throws(String rom) {
    assertThatThrownBy(() -> new Ds18b20Sensor(bus, rom))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("rom [" + rom + "] must " + Ds18b20Sensor.ROM_ID_RULE + ".");
  }
}
