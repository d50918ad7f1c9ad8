package org.sangfroid.simulator.virtual;

import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * A reading before the agent numbers it.
 *
 * @param time measurement time as the agent's clock says, epoch ms
 * @param celsius the temperature, {@code NaN} unless {@code quality} is OK
 * @param clockSynced false while the agent's clock is not synchronised
 * @param excursion true when invalid or beyond a limit of its unit's profile: a full outbox
 *     drops such readings last
 *
 * <p>The ids are checked when the agent numbers it ({@link org.sangfroid.core.wire.Reading}), not
 * twice: a fleet takes millions of these.
 */
public record Measurement(long time, String unit, String sensor, double celsius, Quality quality,
    boolean clockSynced, boolean excursion) {
  public Measurement {
    Checks.requireNonNull("unit", unit);
    Checks.requireNonNull("sensor", sensor);
    Checks.requireNonNull("quality", quality);
  }
}
