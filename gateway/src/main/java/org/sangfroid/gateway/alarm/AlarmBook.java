package org.sangfroid.gateway.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each unit's engine state and its alarms in the store, inside the caller's transaction.
 * A raised event inserts an active alarm unless one of that kind is already active on the unit;
 * a cleared event closes the active one with its end time and peak. Thread-safe (stateless
 * apart from its counters).
 */
public final class AlarmBook {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmBook.class);

  private final Map<AlarmKind, Counter> raised = new EnumMap<>(AlarmKind.class);
  private final Map<AlarmKind, Counter> cleared = new EnumMap<>(AlarmKind.class);

  public AlarmBook(MeterRegistry meters) {
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
   * The unit's saved engine state, or a new one whose monitoring starts at {@code now} (saved at
   * once, so it is the first time the gateway saw the unit configured).
   */
  public UnitState state(Tx tx, Unit unit, long now) {
    Optional<UnitState> saved = tx.unitState(unit.id());
    if (saved.isPresent()) {
      return saved.get();
    }
    UnitState fresh = UnitState.start(now);
    tx.saveUnitState(unit.id(), fresh, now);
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
          changes.add(new AlarmChange(AlarmChange.Type.RAISED, row));
        }
      } else if (e instanceof ExcursionEvent.Cleared c) {
        Optional<AlarmRow> active = tx.activeAlarm(unit.id(), c.kind());
        if (active.isPresent()) {
          changes.add(new AlarmChange(AlarmChange.Type.CLEARED,
              tx.clearAlarm(active.get().id(), c.endedAt(), c.peak())));
        }
      }
    }
    return changes;
  }

  /** Counts and logs changes once their transaction is committed. */
  public void committed(List<AlarmChange> changes) {
    for (AlarmChange c : changes) {
      AlarmRow a = c.alarm();
      if (c.type() == AlarmChange.Type.RAISED) {
        raised.get(a.kind()).increment();
        LOG.warn("Alarm {} raised: unit {} at site {}, {} since {}{}", a.id(), a.unit(), a.site(), wire(a.kind()),
            Instant.ofEpochMilli(a.startedAt()), a.late() ? " (late: from a backlog)" : "");
      } else {
        cleared.get(a.kind()).increment();
        LOG.info("Alarm {} cleared: unit {} at site {}, {} ended {}", a.id(), a.unit(), a.site(), wire(a.kind()),
            a.clearedAt().isPresent() ? Instant.ofEpochMilli(a.clearedAt().getAsLong()) : "?");
      }
    }
  }
}
