package org.sangfroid.core.excursion;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * The storage rules for what a unit holds: its acceptable range and how alarms are timed.
 *
 * @param id stable identifier, e.g. {@code RBC_STORE_EU}
 * @param title what it is for, for people
 * @param low lowest acceptable °C, {@code -Infinity} when there is none (freezers)
 * @param high highest acceptable °C, {@code +Infinity} when there is none
 * @param delay how long the temperature must stay beyond a limit before the alarm is raised
 * @param hysteresis how far (°C) back inside a limit the temperature must come to clear an alarm
 * @param monitoringLostAfter how long without a valid reading before a monitoring-lost alarm
 * @param source the standards behind the limits, and which numbers are design defaults
 */
public record Profile(
    String id,
    String title,
    double low,
    double high,
    Duration delay,
    double hysteresis,
    Duration monitoringLostAfter,
    String source) {

  public Profile {
    Checks.requireNonNull("id", id);
    Checks.require(!Double.isNaN(low), "low", low, "be a number or -Infinity");
    Checks.require(!Double.isNaN(high), "high", high, "be a number or +Infinity");
    Checks.require(low < high, "low", low, "be below high (" + high + ")");
    Checks.require(!delay.isNegative(), "delay", delay, "not be negative");
    Checks.require(hysteresis >= 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis,
        "be a finite number of at least 0");
    Checks.require(monitoringLostAfter.compareTo(Duration.ofSeconds(1)) >= 0,
        "monitoringLostAfter", monitoringLostAfter, "be at least one second");
  }

  /** True when the profile has a lower limit. */
  public boolean hasLow() {
    return low != Double.NEGATIVE_INFINITY;
  }

  /** True when the profile has an upper limit. */
  public boolean hasHigh() {
    return high != Double.POSITIVE_INFINITY;
  }

  /** This profile with a site's timing overrides. */
  public Profile withTiming(Duration delay, double hysteresis, Duration monitoringLostAfter) {
    return new Profile(id, title, low, high, delay, hysteresis, monitoringLostAfter, source);
  }
}
