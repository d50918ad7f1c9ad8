package org.sangfroid.core.wire;

import java.util.Optional;

/** How trustworthy a reading is, as the probe's driver judged it. Only {@link #OK} carries a value. */
public enum Quality {
  /** A valid temperature. */
  OK("ok"),
  /** The probe answered with a value outside its physical range. */
  OUT_OF_RANGE("out_of_range"),
  /** The probe's answer failed its checksum. */
  CRC_ERROR("crc_error"),
  /** The probe did not answer (missing, unplugged, silent node). */
  DISCONNECTED("disconnected"),
  /** The probe reported its power-on value (85.000 °C for a DS18B20), not a measurement. */
  POWER_ON_RESET("power_on_reset");

  private final String wire;

  Quality(String wire) {
    this.wire = wire;
  }

  /** The name used in JSON. */
  public String wire() {
    return wire;
  }

  /** The quality named {@code wire} in JSON. */
  public static Optional<Quality> fromWire(String wire) {
    for (Quality q : values()) {
      if (q.wire.equals(wire)) {
        return Optional.of(q);
      }
    }
    return Optional.empty();
  }
}
