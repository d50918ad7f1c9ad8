package org.sangfroid.gateway.alarm;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.notify.Dispatcher;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.sangfroid.gateway.store.NotificationRow;

/**
 * A notification channel that fails is itself an alarm: when a message about an alarm on a unit
 * is given up, a {@link AlarmKind#NOTIFICATION_FAILED} alarm is raised on that unit (and cleared
 * at once, see {@link AlarmBook#recordEvent}; announced through the channels that still work, and
 * escalated). Messages
 * about a NOTIFICATION_FAILED alarm raise nothing more, so a dead channel cannot feed itself.
 */
public final class NotificationFailures implements Dispatcher.Failures {
  private final Fleet fleet;
  private final GatewayStore store;
  private final AlarmBook book;
  private final AuditTrail audit;
  private final Clock clock;

  public NotificationFailures(Fleet fleet, GatewayStore store, AlarmBook book, Clock clock) {
    this.fleet = fleet;
    this.store = store;
    this.book = book;
    this.audit = new AuditTrail(clock);
    this.clock = clock;
  }

  @Override
  public List<AlarmChange> record(Tx tx, NotificationRow letter, String error) {
    Optional<AlarmRow> about = store.alarm(letter.alarmId());
    Map<String, Object> details = new TreeMap<>();
    details.put("alarm", letter.alarmId());
    details.put("event", letter.event());
    details.put("channel", letter.channel());
    details.put("target", letter.target());
    details.put("error", error);
    audit.append(tx, AuditTrail.SYSTEM, "notification.failed", "alarm/" + letter.alarmId(), details);
    if (about.isEmpty() || about.get().kind() == AlarmKind.NOTIFICATION_FAILED) {
      return List.of();
    }
    Optional<Unit> unit = fleet.unit(about.get().unit());
    if (unit.isEmpty()) {
      return List.of(); // the unit left the configuration; the dead letter is still listed
    }
    return book.recordEvent(tx, unit.get(), AlarmKind.NOTIFICATION_FAILED, clock.millis(), false);
  }

  @Override
  public void committed(List<AlarmChange> changes) {
    book.committed(changes);
  }
}
