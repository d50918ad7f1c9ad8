package org.sangfroid.gateway.store;

import java.util.Optional;
import org.sangfroid.core.excursion.UnitState;

/**
 * A unit's engine state and which readings it includes.
 *
 * @param includes the readings the state has evaluated; empty for a state saved before the
 *     gateway recorded it (schema V12), which includes everything acknowledged when it was saved
 * @param updatedAt gateway clock when the state last changed (epoch ms)
 */
public record UnitStateRow(String unit, UnitState state, Optional<Includes> includes, long updatedAt) {

  /** Every reading of the unit from agent {@code site}/{@code agent} up to {@code seq}, and none after. */
  public record Includes(String site, String agent, long seq) {}

  /** The same readings, with the state {@code next} (an input, a tick or a restock changed it) at {@code now}. */
  UnitStateRow with(UnitState next, long now) {
    return new UnitStateRow(unit, next, includes, now);
  }
}
