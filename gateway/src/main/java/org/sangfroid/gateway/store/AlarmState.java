package org.sangfroid.gateway.store;

/**
 * Where an alarm is, as quality managers see it: derived from its condition (set by the engine)
 * and its workflow (set by people), never stored.
 */
public enum AlarmState {
  /** The condition holds and nobody has acknowledged the alarm yet. */
  ACTIVE,
  /** Someone acknowledged it (with a reason); the condition still holds. */
  ACKNOWLEDGED,
  /** The condition is over and the alarm is not closed yet (acknowledged or not: see the alarm). */
  CLEARED,
  /** Closed with a root cause and a product disposition. */
  CLOSED
}
