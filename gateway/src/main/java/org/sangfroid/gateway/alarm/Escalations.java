package org.sangfroid.gateway.alarm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Escalation;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.config.GatewayConfig.Step;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.GatewayStore.Escalating;
import org.sangfroid.gateway.store.GatewayStore.Tx;

/**
 * The on-call chain of alarms nobody acknowledges. When an alarm (not a warning) is raised at a
 * site with an {@code escalation}, its first step is set due {@code steps[0].after} later on the
 * gateway clock; {@link #run} (on the engine tick) takes each due step: it queues the messages
 * (an e-mail to the step's people, every webhook), writes {@code alarm.escalated} to the audit
 * trail and sets the next step due, all in one transaction. Acknowledging or closing the alarm
 * stops it. The steps taken and the next due time are stored with the alarm, so a restart neither
 * repeats nor forgets a step: the chain goes on from where it was.
 */
public final class Escalations {
  /** Queues the messages of one step, inside the step's transaction. */
  @FunctionalInterface
  public interface Messages {
    void queue(Tx tx, AlarmRow alarm, int level, List<String> onCall);
  }

  private final Fleet fleet;
  private final GatewayStore store;
  private final Messages messages;
  private final AuditTrail audit;
  private final Clock clock;

  public Escalations(Fleet fleet, GatewayStore store, Messages messages, Clock clock) {
    this.fleet = fleet;
    this.store = store;
    this.messages = messages;
    this.audit = new AuditTrail(clock);
    this.clock = clock;
  }

  /** Arms the first step of a newly raised alarm, inside the transaction that raised it. */
  public void arm(Tx tx, AlarmChange change) {
    AlarmRow a = change.alarm();
    if (change.type() != AlarmChange.Type.RAISED || a.kind().severity() != AlarmKind.Severity.ALARM) {
      return;
    }
    plan(a).ifPresent(p -> tx.setEscalation(a.id(), 0, clock.millis() + p.steps().get(0).after().toMillis()));
  }

  private Optional<Escalation> plan(AlarmRow a) {
    return fleet.site(a.site()).flatMap(Site::escalation);
  }

  /** Takes every step due now; returns the escalations, committed (give them to {@link AlarmBook#committed}). */
  public List<AlarmChange> run() {
    long now = clock.millis();
    return store.write(tx -> {
      List<AlarmChange> out = new ArrayList<>();
      for (Escalating e : tx.escalationsDue(now)) {
        AlarmRow alarm = store.alarm(e.alarmId()).orElseThrow();
        Optional<Escalation> plan = plan(alarm);
        if (plan.isEmpty()) {
          tx.setEscalation(alarm.id(), e.level(), null); // the site's chain was removed from the config
          continue;
        }
        int level = e.level() + 1;
        Step step = plan.get().step(level);
        messages.queue(tx, alarm, level, step.email());
        Map<String, Object> details = AlarmBook.subject(alarm);
        details.put("level", level);
        details.put("email", step.email());
        details.put("due", e.dueAt());
        AuditRow entry = audit.append(tx, AuditTrail.SYSTEM, "alarm.escalated", AlarmBook.subjectOf(alarm), details);
        // The next step counts from when this one was due, not from now: a late tick does not
        // push the chain back.
        tx.setEscalation(alarm.id(), level, Math.max(e.dueAt() + plan.get().next(level).toMillis(), now + 1));
        out.add(new AlarmChange(AlarmChange.Type.ESCALATED, alarm, entry));
      }
      return out;
    });
  }
}
