package org.sangfroid.core.excursion;

import org.sangfroid.core.check.Checks;

/**
 * A digital input of a unit changed (a door contact, the mains-power sense line, the platelet
 * agitator's motion sensor). Evaluated by {@link ExcursionEngine#onInput} in the inputs' own time
 * order, independent of the temperature readings.
 *
 * @param input which input
 * @param active true when the condition holds: door open, power lost, agitator stopped
 * @param time measurement time of the change, epoch ms
 */
public record InputChange(Input input, boolean active, long time) {
  public InputChange {
    Checks.requireNonNull("input", input);
  }

  /** The inputs, each named after its active condition and raising the alarm of the same name. */
  public enum Input {
    DOOR_OPEN(AlarmKind.DOOR_OPEN),
    POWER_LOST(AlarmKind.POWER_LOST),
    AGITATOR_STOPPED(AlarmKind.AGITATOR_STOPPED);

    private final AlarmKind kind;

    Input(AlarmKind kind) {
      this.kind = kind;
    }

    /** The alarm raised when this input stays active for its rule's delay. */
    public AlarmKind kind() {
      return kind;
    }
  }
}
