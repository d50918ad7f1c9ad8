package org.sangfroid.simulator.thermal;

import static org.sangfroid.simulator.thermal.ThermalParameters.DS18B20_RESOLUTION;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of storage unit the simulator models, each with preset {@link ThermalParameters}.
 * Ranges cite {@code shared/standards.md} §1; every time constant and rate is a simulator
 * choice (not from a standard), tuned so that demos show realistic cycles and quick excursions.
 * Behaviour at the default 22 °C ambient, measured with the presets (1 s step):
 *
 * <table>
 *   <caption>Preset behaviour</caption>
 *   <tr><th>kind</th><th>cycles between</th><th>period</th><th>failure</th></tr>
 *   <tr><td>FRIDGE</td><td>3–5 °C</td><td>≈ 21 min</td>
 *       <td>door open: above +6 °C after ≈ 40–110 s (≈ 70 s from mid-cycle)</td></tr>
 *   <tr><td>FREEZER</td><td>−31 to −29 °C</td><td>≈ 40 min</td>
 *       <td>compressor stop: above −25 °C after ≈ 72 min; door open: ≈ 100 s</td></tr>
 *   <tr><td>INCUBATOR</td><td>21–23 °C</td><td>needs ambient &lt; 21 °C</td>
 *       <td>heater stop at 15 °C ambient: below +20 °C after ≈ 40 min</td></tr>
 * </table>
 */
public enum UnitKind {
  /**
   * Blood-bank refrigerator for red cells and whole blood, acceptable range +2 to +6 °C
   * (Directive 2004/33/EC; standards.md §1). Set point +4 °C, band ±1 °C (compressor on at +5,
   * off at +3); tau 2 h; door-open tau 500 s; compressor 0.0067 °C/s (0.4 °C/min); noise
   * 0.03 °C.
   */
  FRIDGE(
      "fridge",
      new ThermalParameters(
          4.0, 1.0, Duration.ofHours(2), Duration.ofSeconds(500), Actuator.COMPRESSOR, 0.0067, 0.03,
          DS18B20_RESOLUTION)),

  /**
   * Plasma freezer for fresh frozen plasma, acceptable ≤ −25 °C core (EU/UK; standards.md §1).
   * Set point −30 °C, band ±1 °C; tau 12 h; door-open tau 900 s; compressor 0.004 °C/s; noise
   * 0.05 °C. A DS18B20 is not specified to ±0.5 °C at −30 °C (standards.md §6): the simulator
   * still reads it like one.
   */
  FREEZER(
      "freezer",
      new ThermalParameters(
          -30.0, 1.0, Duration.ofHours(12), Duration.ofSeconds(900), Actuator.COMPRESSOR, 0.004, 0.05,
          DS18B20_RESOLUTION)),

  /**
   * Platelet incubator, acceptable +20 to +24 °C (Directive 2004/33/EC, 21 CFR 610.53;
   * standards.md §1). Set point +22 °C, band ±1 °C (heater on at +21, off at +23); tau 2 h;
   * door-open tau 300 s; heater 0.005 °C/s; noise 0.03 °C. Heater only: it regulates only when
   * the room is colder than +21 °C; at the default 22 °C ambient it floats near +22 °C, and in a
   * room above +24 °C it drifts out of range as a real heater-only cabinet would.
   */
  INCUBATOR(
      "incubator",
      new ThermalParameters(
          22.0, 1.0, Duration.ofHours(2), Duration.ofSeconds(300), Actuator.HEATER, 0.005, 0.03,
          DS18B20_RESOLUTION));

  private final String configName;
  private final ThermalParameters parameters;

  UnitKind(String configName, ThermalParameters parameters) {
    this.configName = configName;
    this.parameters = parameters;
  }

  /** The preset model constants. */
  public ThermalParameters parameters() {
    return parameters;
  }

  /** The name used in configuration files: {@code fridge}, {@code freezer}, {@code incubator}. */
  public String configName() {
    return configName;
  }

  /** The kind whose {@link #configName()} is {@code name}, if any. */
  public static Optional<UnitKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }
}
