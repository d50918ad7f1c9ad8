package org.sangfroid.gateway.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AgentRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.ReadingRow;

/** Every unit's state now, for the dashboard, its live updates and {@code /api/units}. Thread-safe. */
final class Board {
  /** What one unit looks like now. {@code state}: ok, warning, out_of_range, alarm or no_data. */
  record UnitStatus(Unit unit, Optional<ReadingRow> last, String state, Optional<AgentRow> agent) {}

  private final Fleet fleet;
  private final GatewayStore store;

  Board(Fleet fleet, GatewayStore store) {
    this.fleet = fleet;
    this.store = store;
  }

  /** In configuration order. */
  List<UnitStatus> units() {
    Set<String> inAlarm = store.unitsInAlarm();
    Set<String> warned = store.unitsWithWarning();
    Map<String, AgentRow> agents = new HashMap<>();
    store.agents().forEach(a -> agents.put(a.site() + "/" + a.agent(), a));
    List<UnitStatus> out = new ArrayList<>();
    for (Unit u : fleet.units()) {
      Optional<ReadingRow> last = store.lastReading(u.id());
      String state = inAlarm.contains(u.id()) ? "alarm"
          : last.isEmpty() ? "no_data"
          : beyondLimit(u.id()) ? "out_of_range"
          : warned.contains(u.id()) ? "warning"
          : "ok";
      out.add(new UnitStatus(u, last, state, Optional.ofNullable(agents.get(u.site() + "/" + u.agent()))));
    }
    return out;
  }

  /** Beyond a limit, its alarm delay still running: the quality manager should see it coming. */
  private boolean beyondLimit(String unit) {
    return store.unitState(unit).map(UnitState::outOfRangeWithinDelay).orElse(false);
  }
}
