package org.sangfroid.simulator.thermal;

/** What a unit's thermostat switches on to hold its set point. */
public enum Actuator {
  /** A refrigeration compressor: pulls the temperature down; on above the band, off below it. */
  COMPRESSOR(-1),
  /** A heater: pushes the temperature up; on below the band, off above it. */
  HEATER(+1),
  /**
   * The ice or gel packs of a passive transport box: they pull the temperature down as a
   * compressor would, until their {@linkplain ThermalParameters#coolantBudget() budget} is spent.
   */
  COOLANT(-1);

  private final int direction;

  Actuator(int direction) {
    this.direction = direction;
  }

  /** -1 when running lowers the temperature, +1 when it raises it. */
  public int direction() {
    return direction;
  }
}
