package org.sangfroid.agent.sensor.bus;

import java.util.Locale;
import org.sangfroid.core.check.Checks;

/**
 * Where an I2C chip sits: bus {@code n} ({@code /dev/i2c-<n>}; bus 1 is GPIO2 SDA, pin 3, and
 * GPIO3 SCL, pin 5, on a Raspberry Pi) and its 7-bit address.
 */
public record I2cDevice(int bus, int address) {
  /** Linux numbers buses from 0; adapters beyond a few dozen do not occur on our devices. */
  public static final int MAX_BUS = 99;
  /** 7-bit addresses outside 0x08..0x77 are reserved by the I2C specification. */
  public static final int MIN_ADDRESS = 0x08;
  public static final int MAX_ADDRESS = 0x77;

  public I2cDevice {
    Checks.require(bus >= 0 && bus <= MAX_BUS, "i2c.bus", bus, "be from 0 to " + MAX_BUS);
    Checks.require(address >= MIN_ADDRESS && address <= MAX_ADDRESS, "address", hex(address),
        "be a 7-bit I2C address from 0x08 to 0x77");
  }

  /** {@code 0x44} style. */
  public static String hex(int address) {
    return String.format(Locale.ROOT, "0x%02x", address);
  }

  @Override
  public String toString() {
    return "/dev/i2c-" + bus + " at " + hex(address);
  }
}
