package org.sangfroid.agent.sensor.bus;

import org.sangfroid.core.check.Checks;

/**
 * Where an SPI chip sits: bus {@code n} and chip select {@code m}, which Linux opens as
 * {@code /dev/spidev<n>.<m>}. On a Raspberry Pi, bus 0 has chip selects 0 (CE0, GPIO8, pin 24)
 * and 1 (CE1, GPIO7, pin 26); bus 1 (the auxiliary SPI, {@code dtoverlay=spi1-3cs}) has 0 to 2.
 */
public record SpiDevice(int bus, int chipSelect) {
  /** Pi4J and the Raspberry Pi 4/5 know SPI buses 0 to 6 and chip selects 0 to 2. */
  public static final int MAX_BUS = 6;
  public static final int MAX_CHIP_SELECT = 2;

  public SpiDevice {
    Checks.require(bus >= 0 && bus <= MAX_BUS, "spi.bus", bus, "be from 0 to " + MAX_BUS);
    Checks.require(chipSelect >= 0 && chipSelect <= MAX_CHIP_SELECT, "spi.chipSelect", chipSelect,
        "be from 0 to " + MAX_CHIP_SELECT);
  }

  @Override
  public String toString() {
    return "/dev/spidev" + bus + "." + chipSelect;
  }
}
