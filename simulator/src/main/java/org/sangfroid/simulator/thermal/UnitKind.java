package org.sangfroid.simulator.thermal;

import static org.sangfroid.simulator.thermal.ThermalParameters.DS18B20_RESOLUTION;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.sangfroid.simulator.probe.ProbeParameters;
import org.sangfroid.simulator.probe.ProbeType;

/**
 * The kinds of storage unit the simulator models, each with preset {@link ThermalParameters}
 * (the unit's air), and for scenarios a default probe and defrost cycle. Ranges cite
 * {@code shared/standards.md} §1; every time constant and rate is a simulator choice (not from a
 * standard), tuned so that runs show realistic cycles and plausible failures. Behaviour at the
 * default 22 °C ambient, measured with the presets (1 s step, air):
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
 *   <tr><td>ULT_FREEZER</td><td>−81.5 to −78.5 °C</td><td>≈ 72 min</td>
 *       <td>compressor stop: above −65 °C after ≈ 4 h</td></tr>
 *   <tr><td>COLD_ROOM</td><td>3–5 °C</td><td>≈ 3 h</td>
 *       <td>holds up to ≈ 31 °C ambient (at 35 °C: above +6 °C after ≈ 2.5 h); compressor stop: above
 *       +6 °C after ≈ 1.2 h</td></tr>
 *   <tr><td>TRANSPORT_BOX</td><td>4.5–5.5 °C</td><td>≈ 85 min</td>
 *       <td>packs spent after ≈ 4.5 h, above +10 °C after ≈ 5.5 h (at 35 °C: ≈ 3.1 h)</td></tr>
 * </table>
 */
public enum UnitKind {
  /**
   * Blood-bank refrigerator for red cells and whole blood, acceptable range +2 to +6 °C
   * (Directive 2004/33/EC; standards.md §1). Set point +4 °C, band ±1 °C (compressor on at +5,
   * off at +3); tau 2 h; door-open tau 500 s; compressor 0.0067 °C/s (0.4 °C/min); noise
   * 0.03 °C. Scenario probe: DS18B20 in glycol.
   */
  FRIDGE(
      "fridge",
      new ThermalParameters(
          4.0, 1.0, Duration.ofHours(2), Duration.ofSeconds(500), Actuator.COMPRESSOR, 0.0067, 0.03,
          DS18B20_RESOLUTION),
      glycol(0.03, DS18B20_RESOLUTION), Optional.empty(), false),

  /**
   * Plasma freezer for fresh frozen plasma, acceptable ≤ −25 °C core (EU/UK; standards.md §1).
   * Set point −30 °C, band ±1 °C; tau 12 h; door-open tau 900 s; compressor 0.004 °C/s; noise
   * 0.05 °C. A DS18B20 is not specified to ±0.5 °C at −30 °C (standards.md §6): the simulator
   * still reads it like one. In scenarios it defrosts automatically every 8 h for 12 min, the
   * heater warming the air by 0.0025 °C/s: at worst the air peaks near −26.4 °C, a glycol probe
   * near −27.5 °C (below FFP_CRYO_EU's −27 °C warning).
   */
  FREEZER(
      "freezer",
      new ThermalParameters(
          -30.0, 1.0, Duration.ofHours(12), Duration.ofSeconds(900), Actuator.COMPRESSOR, 0.004, 0.05,
          DS18B20_RESOLUTION),
      glycol(0.05, DS18B20_RESOLUTION),
      Optional.of(new Defrost(Duration.ofHours(8), Duration.ofMinutes(12), 0.0025)), false),

  /**
   * Platelet incubator, acceptable +20 to +24 °C (Directive 2004/33/EC, 21 CFR 610.53;
   * standards.md §1). Set point +22 °C, band ±1 °C (heater on at +21, off at +23); tau 2 h;
   * door-open tau 300 s; heater 0.005 °C/s; noise 0.03 °C. Heater only: it regulates only when
   * the room is colder than +21 °C; at the default 22 °C ambient it floats near +22 °C, and in a
   * room above +24 °C it drifts out of range as a real heater-only cabinet would. Its platelet
   * agitator can stop (scenario event {@code agitator-stop}).
   */
  INCUBATOR(
      "incubator",
      new ThermalParameters(
          22.0, 1.0, Duration.ofHours(2), Duration.ofSeconds(300), Actuator.HEATER, 0.005, 0.03,
          DS18B20_RESOLUTION),
      glycol(0.03, DS18B20_RESOLUTION), Optional.empty(), true),

  /**
   * Ultra-low freezer for frozen red cells, acceptable ≤ −65 °C (21 CFR 610.53; standards.md §1).
   * Set point −80 °C, band ±1.5 °C; tau 24 h (well insulated); door-open tau 600 s; compressor
   * 0.003 °C/s; noise 0.05 °C. Read by a PT100 through a MAX31865 in the air: a DS18B20 cannot
   * reach −80 °C and glycol freezes (standards.md §6).
   */
  ULT_FREEZER(
      "ult-freezer",
      new ThermalParameters(
          -80.0, 1.5, Duration.ofHours(24), Duration.ofSeconds(600), Actuator.COMPRESSOR, 0.003, 0.05,
          ProbeParameters.PT100_RESOLUTION),
      new ProbeParameters(ProbeType.AIR, Duration.ZERO, 0.05, ProbeParameters.PT100_RESOLUTION), Optional.empty(),
      false),

  /**
   * Walk-in cold room for red cells, +2 to +6 °C (standards.md §1). Set point +4 °C, band
   * ±1 °C; tau 8 h (a room full of product); door-open tau 1800 s; compressor 0.0009 °C/s, sized
   * for the room's usual heat: it holds the set point up to a room (condenser side) of about
   * 31 °C and loses ground in a heat wave above that. Scenario probe: DS18B20 in glycol.
   */
  COLD_ROOM(
      "cold-room",
      new ThermalParameters(
          4.0, 1.0, Duration.ofHours(8), Duration.ofSeconds(1800), Actuator.COMPRESSOR, 0.0009, 0.03,
          DS18B20_RESOLUTION),
      glycol(0.03, DS18B20_RESOLUTION), Optional.empty(), false),

  /**
   * Passive transport box for red cells, +2 to +10 °C in transit (ISBT 2020; standards.md §1),
   * packed with conditioned coolant packs. The packs hold +5 °C ±0.5 °C (pulling 0.005 °C/s
   * against walls of tau 3 h; lid-open tau 120 s) until 84 min of full cooling is spent: at a
   * 22 °C room after about 4.5 h, and the box passes +10 °C about 5.5 h after packing, the
   * validated time of NHSBT's red-cell box (standards.md §2); a warmer room spends them sooner.
   * Scenario probe: a DS18B20 logger in the air of the box.
   */
  TRANSPORT_BOX(
      "transport-box",
      new ThermalParameters(
          5.0, 0.5, Duration.ofHours(3), Duration.ofSeconds(120), Actuator.COOLANT, 0.005, 0.03,
          DS18B20_RESOLUTION, Duration.ofMinutes(84)),
      new ProbeParameters(ProbeType.AIR, Duration.ZERO, 0.03, DS18B20_RESOLUTION), Optional.empty(), false);

  private final String configName;
  private final ThermalParameters parameters;
  private final ProbeParameters probe;
  private final Optional<Defrost> defrost;
  private final boolean agitated;

  UnitKind(String configName, ThermalParameters parameters, ProbeParameters probe, Optional<Defrost> defrost,
      boolean agitated) {
    this.configName = configName;
    this.parameters = parameters;
    this.probe = probe;
    this.defrost = defrost;
    this.agitated = agitated;
  }

  private static ProbeParameters glycol(double noise, double resolution) {
    return new ProbeParameters(ProbeType.GLYCOL, ProbeParameters.DEFAULT_GLYCOL_LAG, noise, resolution);
  }

  /** The preset model constants. */
  public ThermalParameters parameters() {
    return parameters;
  }

  /** The probe a scenario gives this kind unless it says otherwise. */
  public ProbeParameters probe() {
    return probe;
  }

  /** Its automatic defrost cycle in scenarios, if it has one. */
  public Optional<Defrost> defrost() {
    return defrost;
  }

  /** True when it holds platelets on an agitator, which can stop. */
  public boolean agitated() {
    return agitated;
  }

  /**
   * The name used in configuration files: {@code fridge}, {@code freezer}, {@code incubator},
   * {@code ult-freezer}, {@code cold-room}, {@code transport-box}.
   */
  public String configName() {
    return configName;
  }

  /** The kind whose {@link #configName()} is {@code name}, if any. */
  public static Optional<UnitKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }
}
