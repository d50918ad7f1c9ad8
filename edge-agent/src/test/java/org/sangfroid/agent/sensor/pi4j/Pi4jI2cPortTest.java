package org.sangfroid.agent.sensor.pi4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.sensor.sht.ShtSensor.Model;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.core.wire.Quality;

/**
 * The I2C adapter on Pi4J's mock platform, with the SHT driver on top.
 *
 * <p>What MockI2C (pi4j-plugin-mock 2.8.0) does: one FIFO for plain reads and writes; writes
 * append, reads pop and return how many bytes they got, or -1 when it is empty. So a recorded
 * answer queued before the driver's command plays back, and the command stays in the FIFO
 * behind it. It cannot refuse an acknowledge or fail a call; an empty FIFO is the nearest it
 * has to a missing device. Timing and NACKs are tested against {@code FakeSht}.
 */
class Pi4jI2cPortTest {
  private static final I2cDevice SHT_AT_44 = new I2cDevice(1, 0x44);

  private final Context context = Pi4J.newContextBuilder()
      .noAutoDetect()
      .add(new MockPlatform())
      .add(MockSpiProvider.newInstance(), MockI2CProvider.newInstance())
      .build();
  private final FakeTime time = new FakeTime();

  @AfterEach
  void shutdown() {
    context.shutdown();
  }

  private Pi4jI2cPort port() {
    return new Pi4jI2cPort(context, MockI2CProvider.class, SHT_AT_44);
  }

  private static byte[] leftover(MockI2C mock) {
    byte[] buffer = new byte[16];
    int n = mock.read(buffer, 0, buffer.length);
    return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
  }

  @Test
  void read_recordedSht4xAnswer_driverReadsTemperatureAndHumidity() {
    Pi4jI2cPort port = port();
    MockI2C mock = (MockI2C) port.open();
    mock.write(HexFormat.of().parseHex("666693" + "8000a2")); // 25.00 °C, 56.50 %RH with their CRCs

    ShtSensor.Sample s = new ShtSensor("room", Model.SHT4X, port, time).sample();

    assertThat(s.temperature().celsius()).isCloseTo(25.0, within(1e-9));
    assertThat(s.relativeHumidity().getAsDouble()).isCloseTo(56.501, within(0.001));
    assertThat(HexFormat.of().formatHex(leftover(mock))).isEqualTo("fd"); // the command the driver sent
  }

  @Test
  void read_recordedSht3xAnswerWithABadCrc_crcError() {
    Pi4jI2cPort port = port();
    MockI2C mock = (MockI2C) port.open();
    mock.write(HexFormat.of().parseHex("666692" + "8000a2"));

    assertThat(new ShtSensor("room", Model.SHT3X, port, time).read())
        .isEqualTo(SensorReading.fault(Quality.CRC_ERROR));
    assertThat(HexFormat.of().formatHex(leftover(mock))).isEqualTo("2400");
  }

  @Test
  void read_nothingRecorded_shortReadIsABusExceptionSoDisconnected() {
    I2cPort port = port();

    // The mock hands back the command byte it was given: 1 byte where 6 were asked for.
    assertThat(new ShtSensor("room", Model.SHT4X, port, time).read())
        .isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    assertThatThrownBy(() -> port.read(6))
        .isInstanceOf(BusException.class)
        .hasMessage("/dev/i2c-1 at 0x44: read -1 of 6 bytes");
  }

  @Test
  void linuxFs_noI2cBusOnThisMachine_busExceptionNotACrash() {
    Assumptions.assumeFalse(Files.exists(Path.of("/dev/i2c-1")), "this machine has I2C bus 1");
    try (Pi4jBuses buses = Pi4jBuses.linuxFs()) {
      I2cPort port = buses.i2c(SHT_AT_44);

      assertThatThrownBy(() -> port.write(new byte[] {(byte) 0xFD}))
          .isInstanceOf(BusException.class)
          .hasMessageStartingWith("/dev/i2c-1 at 0x44 cannot be opened");
      assertThat(new ShtSensor("room", Model.SHT4X, port, time).read())
          .isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    }
  }
}
