package org.sangfroid.simulator.onewire;

import java.util.Locale;
import java.util.StringJoiner;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;

/**
 * The nine bytes a DS18B20 answers to Read Scratchpad (datasheet, "Memory"), each 0–255.
 *
 * @param temperatureLsb byte 0, low byte of the temperature: 16-bit two's complement of °C × 16
 * @param temperatureMsb byte 1, high byte of the temperature
 * @param th byte 2, high alarm trigger (EEPROM copy; factory 0x4b = 75 °C)
 * @param tl byte 3, low alarm trigger (factory 0x46 = 70 °C)
 * @param config byte 4, configuration; 0x7f = 12-bit resolution
 * @param reserved5 byte 5, reserved, always 0xff
 * @param reserved6 byte 6, reserved; a genuine DS18B20 shows {@code 0x10 - (lsb & 0x0f)} after a
 *     12-bit conversion and 0x0c at power-on
 * @param reserved7 byte 7, reserved, always 0x10
 * @param crc byte 8, the CRC-8 the device sent; {@link #crcValid()} tells whether it matches
 */
public record Scratchpad(
    int temperatureLsb,
    int temperatureMsb,
    int th,
    int tl,
    int config,
    int reserved5,
    int reserved6,
    int reserved7,
    int crc) {

  /** Lowest raw value the DS18B20 reports: −55 °C × 16. */
  public static final int RAW_MIN = -55 * 16;
  /** Highest raw value the DS18B20 reports: +125 °C × 16. */
  public static final int RAW_MAX = 125 * 16;

  /** Factory TH (75 °C), as in kernel dumps. */
  public static final int FACTORY_TH = 0x4b;
  /** Factory TL (70 °C). */
  public static final int FACTORY_TL = 0x46;
  /** Configuration byte for 12-bit resolution. */
  public static final int CONFIG_12_BIT = 0x7f;

  /** What the probe holds after power-up, before any conversion: 85.000 °C. */
  public static final Scratchpad POWER_ON =
      withCrc(0x50, 0x05, FACTORY_TH, FACTORY_TL, CONFIG_12_BIT, 0xff, 0x0c, 0x10);

  /** Nine zero bytes: what the kernel shows as the last good read before any read succeeded. */
  public static final Scratchpad ZERO = new Scratchpad(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Checks that every byte is 0–255. */
  public Scratchpad {
    int[] all = {temperatureLsb, temperatureMsb, th, tl, config, reserved5, reserved6, reserved7, crc};
    for (int i = 0; i < all.length; i++) {
      if (all[i] < 0 || all[i] > 0xff) {
        throw new InvalidValueException(
            Checks.message("scratchpad byte " + i, all[i], "be 0 to 255"));
      }
    }
  }

  /**
   * The scratchpad of a 12-bit conversion reading {@code celsius}, rounded to 1/16 °C and clamped
   * to the DS18B20's −55..+125 °C, with factory TH/TL and a correct CRC.
   */
  public static Scratchpad ofCelsius(double celsius) {
    long sixteenths = Math.round(celsius * 16);
    return ofRaw((int) Math.max(RAW_MIN, Math.min(RAW_MAX, sixteenths)));
  }

  /** The scratchpad for a raw reading in 1/16 °C (−880..2000), with a correct CRC. */
  public static Scratchpad ofRaw(int raw) {
    if (raw < RAW_MIN || raw > RAW_MAX) {
      throw new InvalidValueException(
          Checks.message("raw", raw, "be from " + RAW_MIN + " to " + RAW_MAX));
    }
    int lsb = raw & 0xff;
    int msb = (raw >> 8) & 0xff;
    return withCrc(lsb, msb, FACTORY_TH, FACTORY_TL, CONFIG_12_BIT, 0xff, 0x10 - (lsb & 0x0f), 0x10);
  }

  private static Scratchpad withCrc(int b0, int b1, int b2, int b3, int b4, int b5, int b6, int b7) {
    return new Scratchpad(b0, b1, b2, b3, b4, b5, b6, b7, Crc8.of(b0, b1, b2, b3, b4, b5, b6, b7));
  }

  /** The nine bytes in bus order. */
  public int[] bytes() {
    return new int[] {temperatureLsb, temperatureMsb, th, tl, config, reserved5, reserved6, reserved7, crc};
  }

  /** The CRC-8 of bytes 0–7, as the kernel computes it and prints after {@code crc=}. */
  public int computedCrc() {
    return Crc8.of(bytes(), 8);
  }

  /** Whether byte 8 matches the CRC of bytes 0–7 (the kernel's YES/NO). */
  public boolean crcValid() {
    return crc == computedCrc();
  }

  /** A copy whose CRC byte is inverted, as a read garbled on the wire may arrive. */
  public Scratchpad withCorruptCrc() {
    return new Scratchpad(
        temperatureLsb, temperatureMsb, th, tl, config, reserved5, reserved6, reserved7, crc ^ 0xff);
  }

  /** The temperature as a signed count of 1/16 °C. */
  public int raw() {
    return (short) ((temperatureMsb << 8) | temperatureLsb);
  }

  /** The temperature, °C. */
  public double celsius() {
    return raw() / 16.0;
  }

  /**
   * The temperature in millidegrees exactly as the kernel's {@code w1_DS18B20_convert_temp}
   * computes it: {@code raw * 1000 / 16} in C integer arithmetic, which truncates toward zero
   * (−25.0625 °C gives −25062).
   */
  public int millidegrees() {
    return raw() * 1000 / 16;
  }

  /** The bytes as the kernel prints them: lowercase hex, each followed by a space. */
  public String hex() {
    StringJoiner out = new StringJoiner(" ", "", " ");
    for (int b : bytes()) {
      out.add(String.format(Locale.ROOT, "%02x", b));
    }
    return out.toString();
  }
}
