package org.sangfroid.agent.input;

import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.InputChange;

/**
 * A unit's input took a (debounced) state.
 *
 * @param unit the unit the input belongs to
 * @param pin the input, as configured
 * @param active true when the condition holds: door open, power lost, agitator stopped
 * @param time when the new level began (measurement time, epoch ms); for the first reading, when
 *     it was read
 * @param first true for the first level read after start: not a change, the state the input
 *     was found in
 */
public record InputEvent(String unit, AgentConfig.InputPin pin, boolean active, long time, boolean first) {
  public InputEvent {
    Checks.requireId("unit", unit);
    Checks.requireNonNull("pin", pin);
  }

  /** As core's engine takes it. */
  public InputChange change() {
    return new InputChange(pin.input(), active, time);
  }
}
