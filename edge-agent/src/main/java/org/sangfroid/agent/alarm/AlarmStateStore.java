package org.sangfroid.agent.alarm;

import java.util.Map;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.UnitState;

/**
 * Where the local engine's state of each unit outlives the agent, so a restart in the middle of
 * an excursion does not start its delay (or an exposure count) again.
 *
 * <p>Called by {@link LocalAlarms} under its lock: {@link #load()} once while it starts,
 * {@link #save} when a unit's alarms change and every few minutes. Implementations must not
 * throw on a damaged store: they log it and return what they can read.
 */
public interface AlarmStateStore {

  /** A unit's engine state and the profile it was evaluated against. */
  record Saved(String profile, UnitState state) {
    public Saved {
      Checks.requireNonNull("profile", profile);
      Checks.requireNonNull("state", state);
    }
  }

  /** Nothing kept: every start begins afresh. */
  AlarmStateStore NONE = new AlarmStateStore() {
    @Override
    public Map<String, Saved> load() {
      return Map.of();
    }

    @Override
    public void save(Map<String, Saved> states) {}
  };

  /** The saved state of each unit, by unit id (empty when none was saved, or none can be read). */
  Map<String, Saved> load();

  /**
   * Replaces the saved state of the given units, all in one transaction.
   *
   * @throws RuntimeException if it cannot be saved; the caller logs it and tries again later
   */
  void save(Map<String, Saved> states);
}
