package org.sangfroid.core.excursion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.check.Checks;

/**
 * The storage rules for what a unit holds.
 *
 * @param id stable identifier, e.g. {@code RBC_STORE_EU}
 * @param title what it is for, for people
 * @param low lowest acceptable °C, {@code -Infinity} when there is none (freezers); shown to
 *     people, the {@code rules} raise the alarms
 * @param high highest acceptable °C, {@code +Infinity} when there is none
 * @param rules the alarm rules, each with its own {@link AlarmKind}
 * @param monitoringLostAfter how long without a valid reading before a monitoring-lost alarm
 * @param source the standards behind the numbers, and which numbers are design defaults (D)
 */
public record Profile(
    String id, String title, double low, double high, List<Rule> rules, Duration monitoringLostAfter,
    String source) {

  /** The acceptable range's own alarms. */
  private static final Set<AlarmKind> RANGE = EnumSet.of(AlarmKind.HIGH_TEMPERATURE, AlarmKind.LOW_TEMPERATURE);
  /** Kinds no rule raises: the engine's tick (monitoring, calibration) or the gateway (sequence gaps). */
  private static final Set<AlarmKind> NOT_RULES = EnumSet.of(AlarmKind.MONITORING_LOST,
      AlarmKind.CALIBRATION_OVERDUE, AlarmKind.SEQUENCE_GAP);
  /** Kinds a temperature-limit rule may not use: their own rules raise them. */
  private static final Set<AlarmKind> NOT_LIMITS = EnumSet.of(AlarmKind.RATE_OF_CHANGE, AlarmKind.PROBE_FAULT,
      AlarmKind.DOOR_OPEN, AlarmKind.POWER_LOST, AlarmKind.AGITATOR_STOPPED, AlarmKind.TRANSIT_TIME);
  /** The kinds a site may re-time: the range's alarms and their warnings (design defaults). */
  private static final Set<AlarmKind> RETIMED = EnumSet.of(AlarmKind.HIGH_TEMPERATURE, AlarmKind.LOW_TEMPERATURE,
      AlarmKind.HIGH_WARNING, AlarmKind.LOW_WARNING);

  public Profile {
    Checks.requireNonNull("id", id);
    Checks.require(!Double.isNaN(low), "low", low, "be a number or -Infinity");
    Checks.require(!Double.isNaN(high), "high", high, "be a number or +Infinity");
    Checks.require(low < high, "low", low, "be below high (" + high + ")");
    rules = List.copyOf(rules);
    Set<AlarmKind> kinds = EnumSet.noneOf(AlarmKind.class);
    for (Rule r : rules) {
      Checks.require(kinds.add(r.kind()), "rules", r.kind(), "appear once per profile");
      Checks.require(!NOT_RULES.contains(r.kind()), "rules", r.kind(),
          "not be a rule: " + (r.kind() == AlarmKind.MONITORING_LOST ? "it is set by monitoringLostAfter"
              : r.kind() == AlarmKind.SEQUENCE_GAP ? "the gateway raises it" : "it is checked for every unit"));
      Checks.require(!(r instanceof Rule.Limit) || !NOT_LIMITS.contains(r.kind()), "rules", r.kind(),
          "not be a temperature-limit rule");
    }
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

  /** The rule raising {@code kind}, if the profile has one. */
  public Optional<Rule> rule(AlarmKind kind) {
    return rules.stream().filter(r -> r.kind() == kind).findFirst();
  }

  private Optional<Rule.Threshold> rangeRule() {
    return rules.stream().filter(r -> RANGE.contains(r.kind()) && r instanceof Rule.Threshold)
        .map(Rule.Threshold.class::cast).findFirst();
  }

  /**
   * This profile with {@code rule} added, or replacing the rule of the same kind: for a site's
   * own rules (a rate-of-change warning, a box's validated transit time).
   */
  public Profile withRule(Rule rule) {
    Checks.requireNonNull("rule", rule);
    List<Rule> next = new ArrayList<>(rules.size() + 1);
    rules.forEach(r -> next.add(r.kind() == rule.kind() ? rule : r));
    if (rule(rule.kind()).isEmpty()) {
      next.add(rule);
    }
    return new Profile(id, title, low, high, next, monitoringLostAfter, source);
  }

  /** The delay of the acceptable range's alarms. */
  public Duration delay() {
    return rangeRule().map(Rule.Threshold::delay).orElse(Profiles.DEFAULT_DELAY);
  }

  /** The hysteresis of the acceptable range's alarms. */
  public double hysteresis() {
    return rangeRule().map(Rule.Threshold::hysteresis).orElse(Profiles.DEFAULT_HYSTERESIS);
  }

  /**
   * This profile with a site's timing for the acceptable range's alarms and warnings (a warning
   * must not come later than its alarm); absolute limits and exposure rules keep the numbers of
   * the standards.
   */
  public Profile withTiming(Duration delay, double hysteresis, Duration monitoringLostAfter) {
    List<Rule> timed = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      timed.add(r instanceof Rule.Threshold t && RETIMED.contains(t.kind())
          ? new Rule.Threshold(t.kind(), t.limit(), t.above(), t.inclusive(), delay, hysteresis)
          : r);
    }
    return new Profile(id, title, low, high, timed, monitoringLostAfter, source);
  }
}
