package org.sangfroid.core.excursion;

/** What the engine decided; the caller persists and notifies. All times are measurement times. */
public sealed interface ExcursionEvent {
  /** The alarm kind this event is about. */
  AlarmKind kind();

  /**
   * An alarm condition is met.
   *
   * @param startedAt when the condition began: the first reading beyond the limit, the last valid
   *     reading before monitoring was lost, the first invalid reading of a probe fault, the input
   *     change to active, the trip's start, the calibration due date, or the reading a window
   *     before a too fast change
   * @param raisedAt the reading (or tick) time at which the delay was complete; for an input or a
   *     trip, the moment its delay or maximum ran out, whichever reading, change or tick showed it
   * @param celsius the temperature that completed the condition ({@code NaN} when the condition is
   *     not about a temperature: monitoring lost, probe fault, inputs, transit, calibration)
   * @param limit the temperature limit crossed ({@code NaN} when there is none, including rate of
   *     change, whose limit is in °C per hour)
   * @param peak the worst temperature since {@code startedAt} ({@code NaN} when not about a
   *     temperature); for a rate of change the highest of a rise, the lowest of a fall
   * @param late true when the reading arrived long after it was measured (a backlog), or the
   *     alarm was raised long after its moment
   */
  record Raised(AlarmKind kind, long startedAt, long raisedAt, double celsius, double limit, double peak,
      boolean late) implements ExcursionEvent {}

  /**
   * The condition is over: back inside the limit by the hysteresis, valid readings again, the input
   * inactive, a new stay ({@link ExcursionEngine#restock}) or a later calibration due date.
   *
   * @param endedAt the reading time that ended it
   * @param peak the worst temperature of the episode ({@code NaN} for monitoring lost)
   */
  record Cleared(AlarmKind kind, long endedAt, double peak) implements ExcursionEvent {}
}
