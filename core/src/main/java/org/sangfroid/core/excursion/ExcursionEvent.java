package org.sangfroid.core.excursion;

/** What the engine decided; the caller persists and notifies. All times are measurement times. */
public sealed interface ExcursionEvent {
  /** The alarm kind this event is about. */
  AlarmKind kind();

  /**
   * An alarm condition is met.
   *
   * @param startedAt when the condition began: the first reading beyond the limit, or the last
   *     valid reading before monitoring was lost
   * @param raisedAt the reading (or tick) time at which the delay was complete
   * @param celsius the temperature that completed the condition ({@code NaN} for monitoring lost)
   * @param limit the limit crossed ({@code NaN} for monitoring lost)
   * @param peak the worst temperature since {@code startedAt}
   * @param late true when the reading arrived long after it was measured (a backlog)
   */
  record Raised(AlarmKind kind, long startedAt, long raisedAt, double celsius, double limit, double peak,
      boolean late) implements ExcursionEvent {}

  /**
   * The condition is over: back inside the limit by the hysteresis, or readings again.
   *
   * @param endedAt the reading time that ended it
   * @param peak the worst temperature of the episode ({@code NaN} for monitoring lost)
   */
  record Cleared(AlarmKind kind, long endedAt, double peak) implements ExcursionEvent {}
}
