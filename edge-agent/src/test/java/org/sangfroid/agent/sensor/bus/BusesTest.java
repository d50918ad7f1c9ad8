package org.sangfroid.agent.sensor.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;

class BusesTest {
  @Test
  void unavailable_everyPort_throwsTheReason() {
    Buses buses = Buses.unavailable("no Pi4J");

    assertThatThrownBy(() -> buses.spi(new SpiDevice(0, 1), 1, 1_000_000).transfer(new byte[] {0}))
        .isInstanceOf(BusException.class).hasMessage("/dev/spidev0.1: no Pi4J");
    assertThatThrownBy(() -> buses.i2c(new I2cDevice(1, 0x44)).read(6))
        .isInstanceOf(BusException.class).hasMessage("/dev/i2c-1 at 0x44: no Pi4J");
    assertThatThrownBy(() -> buses.i2c(new I2cDevice(1, 0x44)).write(new byte[] {1}))
        .isInstanceOf(BusException.class).hasMessage("/dev/i2c-1 at 0x44: no Pi4J");
    buses.close();
  }

  @Test
  void devices_toString_isTheLinuxDeviceFile() {
    assertThat(new SpiDevice(0, 1)).hasToString("/dev/spidev0.1");
    assertThat(new I2cDevice(1, 0x44)).hasToString("/dev/i2c-1 at 0x44");
  }

  @ParameterizedTest(name = "bus {0}, chip select {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -1 | 0 | "spi.bus [-1] must be from 0 to 6."
      7  | 0 | "spi.bus [7] must be from 0 to 6."
      0  | 3 | "spi.chipSelect [3] must be from 0 to 2."
      0  | -1 | "spi.chipSelect [-1] must be from 0 to 2."
      """)
  void spiDevice_outsidePi4jRange_throws(int bus, int chipSelect, String message) {
    assertThatThrownBy(() -> new SpiDevice(bus, chipSelect))
        .isInstanceOf(InvalidValueException.class).hasMessage(message);
  }

  @ParameterizedTest(name = "bus {0}, address {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -1  | 68  | "i2c.bus [-1] must be from 0 to 99."
      100 | 68  | "i2c.bus [100] must be from 0 to 99."
      1   | 7   | "address [0x07] must be a 7-bit I2C address from 0x08 to 0x77."
      1   | 120 | "address [0x78] must be a 7-bit I2C address from 0x08 to 0x77."
      """)
  void i2cDevice_reservedAddressOrBadBus_throws(int bus, int address, String message) {
    assertThatThrownBy(() -> new I2cDevice(bus, address))
        .isInstanceOf(InvalidValueException.class).hasMessage(message);
  }
}
