package org.sangfroid.gateway.alarm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.GatewayStore;

/**
 * The engine's tick: asks {@link ExcursionEngine#onTick} about every configured unit at the
 * gateway clock's "now" (a silent unit raises monitoring lost) and stores the results in one
 * transaction. The first run also starts the engine state of units seen for the first time.
 */
public final class MonitoringCheck {
  private final Fleet fleet;
  private final GatewayStore store;
  private final AlarmBook book;
  private final Clock clock;

  public MonitoringCheck(Fleet fleet, GatewayStore store, AlarmBook book, Clock clock) {
    this.fleet = fleet;
    this.store = store;
    this.book = book;
    this.clock = clock;
  }

  /** Runs one check; returns the alarms it raised (committed). */
  public List<AlarmChange> run() {
    long now = clock.millis();
    List<AlarmChange> changes = store.write(tx -> {
      List<AlarmChange> out = new ArrayList<>();
      for (Unit u : fleet.units()) {
        UnitState before = book.state(tx, u, now);
        ExcursionEngine.Outcome outcome = ExcursionEngine.onTick(u.profile(), before, now);
        if (!outcome.state().equals(before)) {
          tx.saveUnitState(u.id(), outcome.state(), now);
        }
        out.addAll(book.record(tx, u, outcome.events()));
      }
      return out;
    });
    book.committed(changes);
    return changes;
  }
}
