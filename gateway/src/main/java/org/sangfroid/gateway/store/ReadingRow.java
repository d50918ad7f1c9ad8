package org.sangfroid.gateway.store;

import java.util.OptionalDouble;
import org.sangfroid.core.wire.Quality;

/**
 * A stored reading, as the API shows it.
 *
 * @param seq the agent's sequence number
 * @param time measurement time, epoch ms
 * @param sensor the probe
 * @param value °C, empty unless {@code quality} is OK
 * @param quality the driver's judgement
 * @param raw what the probe said before its calibration corrected {@code value}; empty when none did
 * @param synced false when the device clock was not synchronised (the time may be wrong)
 * @param timeCorrected true when the agent corrected the time once its clock was synchronised
 */
public record ReadingRow(long seq, long time, String sensor, OptionalDouble value, Quality quality,
    OptionalDouble raw, boolean synced, boolean timeCorrected) {

  /** A reading without calibration, measured on a synchronised clock. */
  public ReadingRow(long seq, long time, String sensor, OptionalDouble value, Quality quality) {
    this(seq, time, sensor, value, quality, OptionalDouble.empty(), true, false);
  }
}
