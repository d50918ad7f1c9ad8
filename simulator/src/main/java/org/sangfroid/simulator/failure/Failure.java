package org.sangfroid.simulator.failure;

import java.time.Duration;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * A failure that starts {@code at} after the simulation starts and lasts {@code duration}, or
 * until the end when no duration is given.
 *
 * @param kind what goes wrong
 * @param at simulated time from the start of the simulation to the start of the failure (&ge; 0)
 * @param duration how long it lasts (positive); empty means until the simulation ends
 */
public record Failure(FailureKind kind, Duration at, Optional<Duration> duration) {

  /** Checks the fields; throws {@code InvalidValueException} naming the bad one. */
  public Failure {
    Checks.requireNonNull("kind", kind);
    Checks.requireNonNull("at", at);
    Checks.require(!at.isNegative(), "at", at, "be 0s or later");
    Checks.requireNonNull("duration", duration);
    duration.ifPresent(d -> Checks.require(!d.isNegative() && !d.isZero(), "duration", d, "be positive"));
  }

  /** A failure from {@code at} until the end of the simulation. */
  public static Failure from(FailureKind kind, Duration at) {
    return new Failure(kind, at, Optional.empty());
  }

  /** A failure from {@code at} for {@code duration}. */
  public static Failure during(FailureKind kind, Duration at, Duration duration) {
    return new Failure(kind, at, Optional.of(duration));
  }

  /** Whether the failure is under way {@code elapsed} after the start: from {@code at}, inclusive, to its end, exclusive. */
  public boolean activeAt(Duration elapsed) {
    if (elapsed.compareTo(at) < 0) {
      return false;
    }
    return duration.map(d -> elapsed.compareTo(at.plus(d)) < 0).orElse(true);
  }
}
