package org.sangfroid.gateway.alarm;

import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;

/**
 * An alarm that was raised, cleared or escalated in a committed transaction, for notification.
 *
 * @param type what happened
 * @param alarm the alarm as stored after the change
 * @param audit the audit entry written with it
 */
public record AlarmChange(Type type, AlarmRow alarm, AuditRow audit) {
  /** What happened to the alarm. */
  public enum Type {
    RAISED,
    CLEARED,
    /** Not acknowledged in time: the site's on-call chain is told (see {@code Escalations}). */
    ESCALATED
  }
}
