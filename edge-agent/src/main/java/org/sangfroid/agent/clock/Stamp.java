package org.sangfroid.agent.clock;

import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * The time a reading gets.
 *
 * @param time UTC epoch milliseconds
 * @param synced whether the wall clock was synchronised when it was taken
 * @param bootTime the monotonic time it was taken at, kept for unsynchronised stamps only, so
 *     their {@code time} can be corrected once the clock is synchronised
 */
public record Stamp(long time, boolean synced, Optional<BootTime> bootTime) {
  public Stamp {
    Checks.requireAtLeast("time", time, 0);
    Checks.requireNonNull("bootTime", bootTime);
    Checks.require(synced == bootTime.isEmpty(), "bootTime", bootTime,
        "be given exactly when the clock is not synchronised");
  }

  /** A stamp on a synchronised clock. */
  public static Stamp synced(long time) {
    return new Stamp(time, true, Optional.empty());
  }
}
