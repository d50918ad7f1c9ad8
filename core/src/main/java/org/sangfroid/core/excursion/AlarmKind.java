package org.sangfroid.core.excursion;

/** What an alarm is about. */
public enum AlarmKind {
  /** Above the profile's upper limit for longer than its delay. */
  HIGH_TEMPERATURE,
  /** Below the profile's lower limit for longer than its delay. */
  LOW_TEMPERATURE,
  /** No valid reading for longer than the profile allows: missing data is never "fine". */
  MONITORING_LOST
}
