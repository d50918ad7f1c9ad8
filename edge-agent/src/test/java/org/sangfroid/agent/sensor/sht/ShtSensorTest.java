package org.sangfroid.agent.sensor.sht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.sht.ShtSensor.Model;
import org.sangfroid.agent.sensor.sht.ShtSensor.Sample;
import org.sangfroid.agent.testkit.FakeSht;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.Quality;

class ShtSensorTest {
  private final FakeTime time = new FakeTime();

  private ShtSensor sensor(Model model, FakeSht chip) {
    return new ShtSensor("room-sht", model, chip, time);
  }

  @ParameterizedTest(name = "{0}{1} = {2}")
  @CsvSource({
      "0xBE, 0xEF, 0x92",   // the example in both the SHT3x and SHT4x datasheets
      "0x66, 0x66, 0x93",
      "0x80, 0x00, 0xA2",
      "0x00, 0x00, 0x81",
      "0xFF, 0xFF, 0xAC"})
  void crc8_word_givesSensirionCrc(String msb, String lsb, String crc) {
    byte[] word = {(byte) (int) Integer.decode(msb), (byte) (int) Integer.decode(lsb)};

    assertThat(ShtSensor.crc8(word, 0, 2)).isEqualTo(Integer.decode(crc));
  }

  @ParameterizedTest(name = "{0} T={1} RH={2}")
  @CsvSource({
      // model, raw T, raw RH, °C, %RH
      "SHT3X, 0x6666, 0x8000, 25.0,     50.0008",
      "SHT4X, 0x6666, 0x8000, 25.0,     56.5010",
      "SHT3X, 0x47AE, 0x4000, 4.0005,   25.0004",
      "SHT4X, 0x47AE, 0x4000, 4.0005,   25.2505",
      "SHT3X, 0x2492, 0xFFFF, -20.0004, 100.0",
      "SHT4X, 0x2492, 0xFFFF, -20.0004, 100.0",    // SHT4x formula gives 119 %: clamped
      "SHT4X, 0x2492, 0x0000, -20.0004, 0.0",      // SHT4x formula gives -6 %: clamped
      "SHT3X, 0x0751, 0x8000, -39.9984, 50.0008",  // lowest raw value in range
      "SHT4X, 0xF8AE, 0x8000, 124.9985, 56.5010"}) // highest raw value in range
  void sample_datasheetFormulas_giveTemperatureAndHumidity(Model model, String rawT, String rawRh, double celsius,
      double rh) {
    FakeSht chip = new FakeSht(time, model).raw(Integer.decode(rawT), Integer.decode(rawRh));

    Sample s = sensor(model, chip).sample();

    assertThat(s.temperature().quality()).isEqualTo(Quality.OK);
    assertThat(s.temperature().celsius()).isCloseTo(celsius, within(0.0001));
    assertThat(s.relativeHumidity().getAsDouble()).isCloseTo(rh, within(0.0001));
  }

  @ParameterizedTest(name = "{0} T={1}")
  @CsvSource({
      "SHT3X, 0x0000",   // -45 °C
      "SHT4X, 0x0750",   // -40.001 °C
      "SHT3X, 0xF8AF",   // 125.001 °C
      "SHT4X, 0xFFFF"})  // 130 °C
  void read_outsideOperatingRange_outOfRange(Model model, String rawT) {
    FakeSht chip = new FakeSht(time, model).raw(Integer.decode(rawT), 0x8000);

    Sample s = sensor(model, chip).sample();

    assertThat(s.temperature()).isEqualTo(SensorReading.fault(Quality.OUT_OF_RANGE));
    assertThat(s.relativeHumidity()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void read_temperatureCrcCorrupted_crcError(Model model) {
    FakeSht chip = new FakeSht(time, model).corruptTemperatureCrc();

    assertThat(sensor(model, chip).read()).isEqualTo(SensorReading.fault(Quality.CRC_ERROR));
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void read_humidityCrcCorrupted_crcErrorForTheWholeFrame(Model model) {
    FakeSht chip = new FakeSht(time, model).corruptHumidityCrc();

    Sample s = sensor(model, chip).sample();

    assertThat(s.temperature()).isEqualTo(SensorReading.fault(Quality.CRC_ERROR));
    assertThat(s.relativeHumidity()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Model.class)
  void read_noDeviceAtTheAddress_disconnected(Model model) {
    FakeSht chip = new FakeSht(time, model).unplug();

    assertThat(sensor(model, chip).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_unpluggedAfterAReading_disconnected() {
    FakeSht chip = new FakeSht(time, Model.SHT4X);
    ShtSensor sensor = sensor(Model.SHT4X, chip);
    assertThat(sensor.read().quality()).isEqualTo(Quality.OK);

    chip.unplug();

    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @ParameterizedTest(name = "{0}: command {1}, wait {2} ms")
  @CsvSource({"SHT3X, 2400, 16", "SHT4X, fd, 9"})
  void read_eachModel_sendsItsCommandAndWaitsItsLongestMeasurement(Model model, String command, long millis) {
    FakeSht chip = new FakeSht(time, model);

    sensor(model, chip).read();
    sensor(model, chip).read();

    assertThat(chip.commands()).containsExactly(command, command);
    assertThat(time.pauses()).containsExactly(Duration.ofMillis(millis), Duration.ofMillis(millis));
  }

  @Test
  void read_sht4xConfiguredButAnSht3xFitted_disconnected() {
    // The SHT3x does not acknowledge 0xFD.
    FakeSht chip = new FakeSht(time, Model.SHT3X);

    assertThat(sensor(Model.SHT4X, chip).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_interruptedWhileMeasuring_disconnectedKeepsTheInterrupt() {
    FakeSht chip = new FakeSht(time, Model.SHT4X);
    ShtSensor sensor = new ShtSensor("room-sht", Model.SHT4X, chip, d -> {
      throw new InterruptedException();
    });

    try {
      assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void sample_humidityWithoutTemperature_throws() {
    assertThatThrownBy(() -> new Sample(SensorReading.fault(Quality.CRC_ERROR), OptionalDouble.of(50)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("relativeHumidity [OptionalDouble[50.0]] must be present exactly when");
  }

  @Test
  void model_addresses_areThoseOfTheDatasheets() {
    assertThat(Model.SHT3X.addresses()).containsExactlyInAnyOrder(0x44, 0x45);
    assertThat(Model.SHT4X.addresses()).containsExactlyInAnyOrder(0x44, 0x45, 0x46);
    assertThat(Model.SHT3X.defaultAddress()).isEqualTo(0x44);
    assertThat(Model.SHT4X.defaultAddress()).isEqualTo(0x44);
  }
}
