package org.sangfroid.core.excursion;

import java.util.List;
import org.sangfroid.core.check.Checks;

/**
 * Where a unit stands against one rule. One shape for every rule kind, so the state stays a
 * plain value the gateway can store.
 *
 * @param phase normal; the condition holds but does not alarm yet (pending); or in alarm
 * @param since measurement time the current excursion (or, for an alarm that does not clear,
 *     the offending one) began, or {@link UnitState#NEVER}; for inputs, when the input became
 *     active; for a rate of change, the start of the window that changed too fast
 * @param raisedAt measurement time the alarm was raised, or {@link UnitState#NEVER}
 * @param peak the worst temperature since {@code since} ({@code NaN} when normal)
 * @param totalMillis cumulative rules: time beyond the limit so far
 * @param episodes episode rules: excursions counted so far
 * @param lastAt cumulative rules: the previous valid reading's time; inputs: the newest change
 *     evaluated; else {@link UnitState#NEVER}
 * @param beyondAtLast cumulative and episode rules: whether the previous reading was beyond;
 *     inputs: whether the input is active; rate of change: whether the alarm is for a rise
 * @param spans cumulative rules with a window: the stretches of time beyond the limit within
 *     it, oldest first, merged where they touch
 * @param points rate of change: the valid readings that may still be a window's start, oldest first
 */
public record RuleState(Phase phase, long since, long raisedAt, double peak, long totalMillis, int episodes,
    long lastAt, boolean beyondAtLast, List<Span> spans, List<Point> points) {

  /** The phases of a rule. */
  public enum Phase {
    NORMAL,
    PENDING,
    ALARM
  }

  /** A stretch of measurement time [{@code from}, {@code to}), epoch ms. */
  public record Span(long from, long to) {
    public Span {
      Checks.require(to >= from, "to", to, "not be before from (" + from + ")");
    }

    /** Its length in ms. */
    public long millis() {
      return to - from;
    }
  }

  /** A valid reading remembered by a rule. */
  public record Point(long time, double celsius) {}

  /** Nothing happened yet. */
  public static final RuleState NORMAL =
      new RuleState(Phase.NORMAL, UnitState.NEVER, UnitState.NEVER, Double.NaN, 0, 0, UnitState.NEVER, false);

  public RuleState {
    spans = List.copyOf(spans);
    points = List.copyOf(points);
  }

  /** A state without spans or points (every rule but windowed exposure and rate of change). */
  public RuleState(Phase phase, long since, long raisedAt, double peak, long totalMillis, int episodes, long lastAt,
      boolean beyondAtLast) {
    this(phase, since, raisedAt, peak, totalMillis, episodes, lastAt, beyondAtLast, List.of(), List.of());
  }

  /** This state with other times and peak; itself when they are the same (the unit's rules stay shared). */
  RuleState with(Phase phase, long since, long raisedAt, double peak) {
    if (phase == this.phase && since == this.since && raisedAt == this.raisedAt
        && Double.compare(peak, this.peak) == 0) {
      return this;
    }
    return new RuleState(phase, since, raisedAt, peak, totalMillis, episodes, lastAt, beyondAtLast, spans, points);
  }
}
