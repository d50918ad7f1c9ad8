package org.sangfroid.simulator.onewire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;

class ScratchpadTest {

  /**
   * Raw values from the DS18B20 datasheet's temperature/data table; millidegrees as the kernel's
   * {@code raw * 1000 / 16} in C, which truncates toward zero.
   */
  @ParameterizedTest
  @CsvSource({
    "23.125,   0172, 23125",
    "0,        0000, 0",
    "-10.125,  ff5e, -10125",
    "-25.0625, fe6f, -25062",
    "-55,      fc90, -55000",
    "125,      07d0, 125000",
    "85,       0550, 85000",
    "25.0625,  0191, 25062",
    "-0.5,     fff8, -500",
  })
  void ofCelsius_datasheetValues_twosComplementRawAndKernelMillidegrees(
      double celsius, String rawHex, int millidegrees) {
    Scratchpad pad = Scratchpad.ofCelsius(celsius);

    int raw = Integer.parseInt(rawHex, 16);
    assertThat(pad.temperatureLsb()).isEqualTo(raw & 0xff);
    assertThat(pad.temperatureMsb()).isEqualTo(raw >> 8);
    assertThat(pad.celsius()).isEqualTo(celsius);
    assertThat(pad.millidegrees()).isEqualTo(millidegrees);
    assertThat(pad.crcValid()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "23.125,   72 01 4b 46 7f ff 0e 10 57",
    "0,        00 00 4b 46 7f ff 10 10 69",
    "-10.125,  5e ff 4b 46 7f ff 02 10 b6",
    "-25.0625, 6f fe 4b 46 7f ff 01 10 61",
    "-55,      90 fc 4b 46 7f ff 10 10 ee",
    "125,      d0 07 4b 46 7f ff 10 10 55",
  })
  void hex_reading_printsNineLowercaseBytesLikeTheKernel(double celsius, String hex) {
    assertThat(Scratchpad.ofCelsius(celsius).hex()).isEqualTo(hex + " ");
  }

  @Test
  void powerOn_isTheDevicesResetValue() {
    assertThat(Scratchpad.POWER_ON.hex()).isEqualTo("50 05 4b 46 7f ff 0c 10 1c ");
    assertThat(Scratchpad.POWER_ON.millidegrees()).isEqualTo(85000);
    assertThat(Scratchpad.POWER_ON.crcValid()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"23.13, 23.125", "4.03, 4.0", "4.04, 4.0625", "130, 125", "-60, -55"})
  void ofCelsius_anyValue_roundsToSixteenthAndClampsToSensorRange(double in, double out) {
    assertThat(Scratchpad.ofCelsius(in).celsius()).isEqualTo(out);
  }

  @Test
  void withCorruptCrc_goodRead_failsCrcButKeepsTemperature() {
    Scratchpad bad = Scratchpad.ofCelsius(23.125).withCorruptCrc();

    assertThat(bad.crcValid()).isFalse();
    assertThat(bad.computedCrc()).isEqualTo(0x57);
    assertThat(bad.millidegrees()).isEqualTo(23125);
  }

  @Test
  void ofRaw_outsideSensorRange_throws() {
    assertThatThrownBy(() -> Scratchpad.ofRaw(2001))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("raw [2001] must be from -880 to 2000.");
  }
}
