package org.sangfroid.gateway.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.sangfroid.gateway.store.UnitStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each unit's engine state and its alarms in the store, inside the caller's transaction.
 * A raised event inserts an alarm unless one of that kind already has its condition on for the
 * unit (an earlier alarm that is cleared but not closed does not count: a new excursion is a new
 * alarm); a cleared event ends that alarm's condition with its end time and peak. Each transition
 * goes to the alarm's history (actor {@code system}, at the measurement time) and to the audit
 * trail, in the same transaction. Thread-safe (stateless apart from its counters).
 */
public final class AlarmBook {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmBook.class);

  private final Map<AlarmKind, Counter> raised = new EnumMap<>(AlarmKind.class);
  private final Map<AlarmKind, Counter> cleared = new EnumMap<>(AlarmKind.class);

  private final Clock clock;
  private final AuditTrail audit;
  private final Consumer<List<AlarmChange>> listener;
  private final Sink sink;

  /**
   * Told of each change inside the transaction that records it, so what follows from it (queued
   * notifications, the escalation timer) is committed with it or not at all.
   */
  @FunctionalInterface
  public interface Sink {
    void recorded(Tx tx, AlarmChange change);
  }

  /** With the system clock for the times the gateway records (history, audit trail). */
  public AlarmBook(MeterRegistry meters) {
    this(meters, Clock.systemUTC());
  }

  /** @param clock the gateway clock, for when transitions are recorded (the audit trail's times) */
  public AlarmBook(MeterRegistry meters, Clock clock) {
    this(meters, clock, changes -> { });
  }

  /**
   * @param listener told of the changes of each commit, on the committing thread, after they are
   *     counted and logged (notifications); it must return quickly and its exceptions are logged
   */
  public AlarmBook(MeterRegistry meters, Clock clock, Consumer<List<AlarmChange>> listener) {
    this(meters, clock, (tx, change) -> { }, listener);
  }

  /** As above, with the {@link Sink} told of each change inside its transaction. */
  public AlarmBook(MeterRegistry meters, Clock clock, Sink sink, Consumer<List<AlarmChange>> listener) {
    this.clock = clock;
    this.listener = listener;
    this.sink = sink;
    this.audit = new AuditTrail(clock);
    for (AlarmKind k : AlarmKind.values()) {
      raised.put(k, Counter.builder("sangfroid.alarms.raised").tag("kind", wire(k))
          .description("Alarms raised").register(meters));
      cleared.put(k, Counter.builder("sangfroid.alarms.cleared").tag("kind", wire(k))
          .description("Alarms cleared").register(meters));
    }
  }

  /** The alarm kind as it appears in JSON and metrics: {@code high_temperature}. */
  public static String wire(AlarmKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The unit's engine state, or a new one whose monitoring starts at {@code now} (saved at once,
   * so it is the first time the gateway saw the unit configured; the agent's readings already
   * acknowledged are not for it to evaluate).
   */
  public UnitState state(Tx tx, Unit unit, long now) {
    Optional<UnitState> saved = tx.unitState(unit.id());
    return saved.isPresent() ? saved.get() : start(tx, unit, now, tx.watermark(unit.site(), unit.agent()));
  }

  /**
   * As {@link #state(Tx, Unit, long)}, a new state including the agent's readings up to {@code
   * seq}: for the ingest, which evaluates the readings after it.
   */
  public UnitState state(Tx tx, Unit unit, long now, long seq) {
    Optional<UnitState> saved = tx.unitState(unit.id());
    return saved.isPresent() ? saved.get() : start(tx, unit, now, seq);
  }

  private static UnitState start(Tx tx, Unit unit, long now, long seq) {
    UnitState fresh = UnitState.start(now);
    tx.saveUnitState(unit.id(), fresh, new UnitStateRow.Includes(unit.site(), unit.agent(), seq), now);
    return fresh;
  }

  /** Stores the alarms of {@code events} (engine output for {@code unit}); returns the changes. */
  public List<AlarmChange> record(Tx tx, Unit unit, List<ExcursionEvent> events) {
    List<AlarmChange> changes = new ArrayList<>(events.size());
    for (ExcursionEvent e : events) {
      if (e instanceof ExcursionEvent.Raised r) {
        if (tx.activeAlarm(unit.id(), r.kind()).isEmpty()) {
          AlarmRow row = tx.insertAlarm(unit.site(), unit.id(), r.kind(), r.startedAt(), r.raisedAt(),
              r.celsius(), r.limit(), r.peak(), r.late());
          tx.addAlarmHistory(new AlarmHistoryRow(row.id(), row.raisedAt(), "raised", AuditTrail.SYSTEM,
              Optional.of(raisedText(row)), clock.millis()));
          Map<String, Object> details = subject(row);
          details.put("startedAt", row.startedAt());
          details.put("raisedAt", row.raisedAt());
          details.put("triggerValue", number(row.triggerValue()));
          details.put("limit", number(row.limit()));
          details.put("peak", number(row.peak()));
          details.put("late", row.late());
          AuditRow entry = audit.append(tx, AuditTrail.SYSTEM, "alarm.raised", subjectOf(row), details);
          AlarmChange change = new AlarmChange(AlarmChange.Type.RAISED, row, entry);
          sink.recorded(tx, change);
          changes.add(change);
        }
      } else if (e instanceof ExcursionEvent.Cleared c) {
        Optional<AlarmRow> active = tx.activeAlarm(unit.id(), c.kind());
        if (active.isPresent()) {
          AlarmRow row = tx.clearAlarm(active.get().id(), c.endedAt(), c.peak());
          tx.addAlarmHistory(new AlarmHistoryRow(row.id(), c.endedAt(), "cleared", AuditTrail.SYSTEM,
              row.peak().isPresent() ? Optional.of("peak " + row.peak().getAsDouble() + " °C") : Optional.empty(),
              clock.millis()));
          Map<String, Object> details = subject(row);
          details.put("clearedAt", c.endedAt());
          details.put("peak", number(row.peak()));
          AuditRow entry = audit.append(tx, AuditTrail.SYSTEM, "alarm.cleared", subjectOf(row), details);
          AlarmChange change = new AlarmChange(AlarmChange.Type.CLEARED, row, entry);
          sink.recorded(tx, change);
          changes.add(change);
        }
      }
    }
    return changes;
  }

  /**
   * Records an alarm that is an event rather than a condition (a data gap, a failed notification):
   * raised and cleared at once at {@code at}, so it waits in the inbox to be acknowledged and
   * closed. While an earlier one of the same kind on the unit is still unacknowledged, nothing new
   * is raised: one alarm to answer, not a flood (the details go to the audit trail anyway).
   */
  public List<AlarmChange> recordEvent(Tx tx, Unit unit, AlarmKind kind, long at, boolean late) {
    if (tx.unacknowledgedAlarm(unit.id(), kind).isPresent()) {
      return List.of();
    }
    return record(tx, unit, List.of(
        new ExcursionEvent.Raised(kind, at, at, Double.NaN, Double.NaN, Double.NaN, late),
        new ExcursionEvent.Cleared(kind, at, Double.NaN)));
  }

  /** The audit trail's subject for an alarm: {@code alarm/12}. */
  public static String subjectOf(AlarmRow a) {
    return "alarm/" + a.id();
  }

  /** The audit details every alarm entry starts with: site, unit, kind. */
  static Map<String, Object> subject(AlarmRow a) {
    Map<String, Object> d = new TreeMap<>();
    d.put("site", a.site());
    d.put("unit", a.unit());
    d.put("kind", a.kind().name());
    return d;
  }

  /** A JSON number, or null when absent. */
  static Double number(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }

  private static String raisedText(AlarmRow a) {
    StringBuilder b = new StringBuilder("started ").append(Instant.ofEpochMilli(a.startedAt()));
    if (a.triggerValue().isPresent()) {
      b.append(", ").append(a.triggerValue().getAsDouble()).append(" °C");
    }
    if (a.limit().isPresent()) {
      b.append(", limit ").append(a.limit().getAsDouble()).append(" °C");
    }
    if (a.late()) {
      b.append(", late (from a backlog)");
    }
    return b.toString();
  }

  /** Counts and logs changes once their transaction is committed, then the audit trail's new head. */
  public void committed(List<AlarmChange> changes) {
    for (AlarmChange c : changes) {
      AlarmRow a = c.alarm();
      if (c.type() == AlarmChange.Type.ESCALATED) {
        LOG.warn("Alarm {} not acknowledged: escalated ({}), unit {} at site {}", a.id(), c.audit().details(),
            a.unit(), a.site());
      } else if (c.type() == AlarmChange.Type.RAISED) {
        raised.get(a.kind()).increment();
        LOG.warn("Alarm {} raised: unit {} at site {}, {} since {}{}", a.id(), a.unit(), a.site(), wire(a.kind()),
            Instant.ofEpochMilli(a.startedAt()), a.late() ? " (late: from a backlog)" : "");
      } else {
        cleared.get(a.kind()).increment();
        LOG.info("Alarm {} cleared: unit {} at site {}, {} ended {}", a.id(), a.unit(), a.site(), wire(a.kind()),
            a.clearedAt().isPresent() ? Instant.ofEpochMilli(a.clearedAt().getAsLong()) : "?");
      }
    }
    if (!changes.isEmpty()) {
      AuditTrail.logHead(Optional.of(changes.get(changes.size() - 1).audit()));
      try {
        listener.accept(changes);
      } catch (RuntimeException e) {
        LOG.error("Alarm changes could not be handed to the notifications", e);
      }
    }
  }
}
