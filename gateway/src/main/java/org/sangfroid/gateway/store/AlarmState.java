package org.sangfroid.gateway.store;

/** Where an alarm is in its lifecycle (acknowledgement and closure come later). */
public enum AlarmState {
  /** The condition holds, or held and has not cleared yet. */
  ACTIVE,
  /** The condition is over. */
  CLEARED
}
