package org.sangfroid.gateway.notify;

import java.time.Instant;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;

/** Alarms in a real store, queued for delivery the way the alarm book queues them. */
final class QueueFixture {
  private QueueFixture() {}

  /** Inserts a HIGH_TEMPERATURE alarm on {@code unit} (7.2 °C over 6.0, peak 7.5); returns it. */
  static AlarmRow alarm(GatewayStore store, String unit) {
    long t = NotifyFixtures.RAISED.toEpochMilli();
    return store.write(tx -> tx.insertAlarm("demo-centre", unit, AlarmKind.HIGH_TEMPERATURE,
        NotifyFixtures.STARTED.toEpochMilli(), t, 7.2, 6.0, 7.5, false));
  }

  /** Queues "raised" of each alarm for every channel in one transaction, then wakes the dispatcher. */
  static void queue(GatewayStore store, Dispatcher d, AlarmRow... alarms) {
    store.write(tx -> {
      queueIn(tx, d, alarms);
      return null;
    });
    d.wake();
  }

  /** Queues "raised" of each alarm inside {@code tx}, without waking the dispatcher. */
  static void queueIn(GatewayStore.Tx tx, Dispatcher d, AlarmRow... alarms) {
    for (AlarmRow a : alarms) {
      d.queue(tx, new AlarmChange(AlarmChange.Type.RAISED, a, audit(a)));
    }
  }

  private static AuditRow audit(AlarmRow a) {
    return new AuditRow(1, Instant.EPOCH.toEpochMilli(), "system", "alarm.raised", "alarm/" + a.id(), "{}",
        "0".repeat(64), "1".repeat(64));
  }
}
