package org.sangfroid.gateway.alarm;

import org.sangfroid.gateway.store.AlarmRow;

/**
 * An alarm that was raised or cleared in a committed transaction, for notification.
 *
 * @param type what happened
 * @param alarm the alarm as stored after the change
 */
public record AlarmChange(Type type, AlarmRow alarm) {
  /** What happened to the alarm. */
  public enum Type {
    RAISED,
    CLEARED
  }
}
