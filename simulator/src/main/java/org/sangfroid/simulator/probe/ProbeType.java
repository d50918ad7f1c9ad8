package org.sangfroid.simulator.probe;

import java.util.Arrays;
import java.util.Optional;

/** Where a probe sits. */
public enum ProbeType {
  /** In the unit's air: it follows the air at once, door openings and defrosts included. */
  AIR("air"),
  /**
   * In a bottle of glycol (a product simulant, standards.md §6 "Buffered probes"): it follows the
   * air through a first-order lag, as a bag of blood would, so a short door opening barely shows.
   */
  GLYCOL("glycol");

  private final String configName;

  ProbeType(String configName) {
    this.configName = configName;
  }

  /** The name used in scenario files: {@code air}, {@code glycol}. */
  public String configName() {
    return configName;
  }

  /** The type whose {@link #configName()} is {@code name}, if any. */
  public static Optional<ProbeType> fromConfigName(String name) {
    return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
  }
}
