package org.sangfroid.agent.sensor.pi4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.bus.SpiPort;
import org.sangfroid.agent.sensor.max31865.Max31865Sensor;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.core.wire.Quality;

/**
 * The SPI adapter on Pi4J's mock platform, with the MAX31865 driver on top.
 *
 * <p>What MockSpi (pi4j-plugin-mock 2.8.0) does: one FIFO per device; {@code write} appends;
 * {@code transfer} first pops as many bytes as it sends (zeros once the FIFO is empty) and then
 * appends what it sent. So recorded responses play back if all of them are queued before the
 * first transfer, and afterwards the FIFO holds exactly what the driver sent. It has no
 * registers, no timing, never fails, and reads zeros with nothing queued (a chip whose MISO is
 * pulled low). The chip's behaviour is tested against {@code FakeMax31865}.
 */
class Pi4jSpiPortTest {
  private static final SpiDevice CE0 = new SpiDevice(0, 0);
  private static final Max31865Sensor.Settings PT100_400 =
      new Max31865Sensor.Settings(3, CallendarVanDusen.PT100, 400, 50);

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

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  /** The driver's transfers for one read of a PT100, 3-wire, 50 Hz, up to switching VBIAS off. */
  private static String sent(String thresholds) {
    return "83" + thresholds + "8093" + "00" + "00000000000000" + "8095" + "0000" + "80b1" + "01" + "00000000000000";
  }

  /** What a MAX31865 answers to {@link #sent}, with {@code rtd} and {@code status} in the last read. */
  private static String answers(String thresholds, String rtd, String status) {
    return "00" + "00000000" // thresholds written
        + "0000" // configuration written
        + "00" + "91" + "0000" + thresholds // read back: VBIAS, 3-wire, 50 Hz; thresholds as written
        + "0000" // fault cycle started
        + "00" + "91" // D3:D2 back to 00: cycle done
        + "0000" // 1-shot started
        + "00" + rtd + thresholds + status // RTD MSB/LSB, thresholds, fault status
        + "0000"; // VBIAS off
  }

  /**
   * Recorded register bytes played back through MockSpi. Thresholds: e87c0b02 for 430 Ω, f9ec0bd6
   * for 400 Ω (the −200/+850 °C ends as ratios).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      0 °C, datasheet table 9 (4000h)   | 400 | f9ec0bd6 | 4000 | 00 | OK           | 0.0     | 0.0001 | 8011
      -75 °C, datasheet table 9 (2D04h) | 400 | f9ec0bd6 | 2d04 | 00 | OK           | -75.0   | 0.04   | 8011
      0 °C with 430 Ω: ratio 7620       | 430 | e87c0b02 | 3b88 | 00 | OK           | -0.0156 | 0.0001 | 8011
      -80 °C freezer: ratio 5207        | 430 | e87c0b02 | 28ae | 00 | OK           | -80.0   | 0.035  | 8011
      +4 °C fridge: ratio 7740          | 430 | e87c0b02 | 3c78 | 00 | OK           | 4.0     | 0.035  | 8011
      open probe: full scale, D7 + D5   | 430 | e87c0b02 | ffff | a0 | DISCONNECTED | NaN     | 0      | 8013
      short: near zero, D6              | 430 | e87c0b02 | 0007 | 40 | OUT_OF_RANGE | NaN     | 0      | 8013
      FORCE- open: valid-looking, D4+D3 | 430 | e87c0b02 | 3b89 | 18 | DISCONNECTED | NaN     | 0      | 8013
      """)
  void transfer_recordedRegisterBytes_driverDecodesThem(String name, double rRef, String thresholds, String rtd,
      String status, Quality quality, double celsius, double tolerance, String lastFrame) {
    Pi4jSpiPort port = new Pi4jSpiPort(context, MockSpiProvider.class, CE0, 1, 1_000_000);
    MockSpi mock = (MockSpi) port.open();
    mock.write(bytes(answers(thresholds, rtd, status)));
    Max31865Sensor.Settings settings = new Max31865Sensor.Settings(3, CallendarVanDusen.PT100, rRef, 50);

    SensorReading r = new Max31865Sensor("pt", port, settings, time).read();

    assertThat(r.quality()).isEqualTo(quality);
    if (quality == Quality.OK) {
      assertThat(r.celsius()).isCloseTo(celsius, within(tolerance));
    }
    // What is left in the mock is what the driver sent, byte for byte; the last frame clears a fault.
    assertThat(HexFormat.of().formatHex(mock.readEntireMockBuffer())).isEqualTo(sent(thresholds) + lastFrame);
  }

  @Test
  void transfer_nothingRecorded_readsLikeAnAbsentChip() {
    Pi4jSpiPort port = new Pi4jSpiPort(context, MockSpiProvider.class, CE0, 1, 1_000_000);

    SensorReading r = new Max31865Sensor("pt", port, PT100_400, time).read();

    assertThat(r).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void transfer_providerMissingFromTheContext_busExceptionNamingTheDevice() {
    Context withoutSpi = Pi4J.newContextBuilder().noAutoDetect().add(MockI2CProvider.newInstance()).build();
    try {
      SpiPort port = new Pi4jSpiPort(withoutSpi, MockSpiProvider.class, CE0, 1, 1_000_000);

      assertThatThrownBy(() -> port.transfer(new byte[] {0x00, 0x00}))
          .isInstanceOf(BusException.class)
          .hasMessageStartingWith("/dev/spidev0.0 cannot be opened");
    } finally {
      withoutSpi.shutdown();
    }
  }

  @Test
  void transfer_afterTheBusesClosed_busException() {
    Pi4jBuses buses = new Pi4jBuses(context, MockSpiProvider.class, MockI2CProvider.class);
    SpiPort port = buses.spi(CE0, 1, 1_000_000);
    port.transfer(new byte[] {0x00});

    buses.close();
    buses.close();

    assertThat(context.isShutdown()).isTrue();
    assertThatThrownBy(() -> port.transfer(new byte[] {0x00}))
        .isInstanceOf(BusException.class)
        .hasMessage("/dev/spidev0.0: the Pi4J context is shut down");
  }

  @Test
  void linuxFs_noSpidevOnThisMachine_busExceptionNotACrash() {
    Assumptions.assumeFalse(Files.exists(Path.of("/dev/spidev0.0")), "this machine has SPI");
    try (Pi4jBuses buses = Pi4jBuses.linuxFs()) {
      SpiPort port = buses.spi(CE0, Max31865Sensor.SPI_MODE, Max31865Sensor.SPI_CLOCK_HZ);

      assertThatThrownBy(() -> port.transfer(new byte[] {0x00, 0x00}))
          .isInstanceOf(BusException.class)
          .hasMessageStartingWith("/dev/spidev0.0 cannot be opened");
      assertThat(new Max31865Sensor("pt", port, PT100_400, time).read())
          .isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    }
  }
}
