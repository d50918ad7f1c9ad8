package org.sangfroid.simulator.config;

import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.thermal.UnitKind;

/**
 * One simulated DS18B20 probe and the unit it sits in ({@code probes[i]} in the file).
 *
 * @param rom the probe's 1-Wire id ({@code rom}, required), e.g. {@code 28-0000000000a1}
 * @param kind the unit it measures ({@code kind}, required): {@code fridge}, {@code freezer},
 *     {@code incubator}, {@code ult-freezer}, {@code cold-room} or {@code transport-box}; selects the
 *     thermal preset
 * @param ambient the room temperature around this unit, °C ({@code ambient}, optional; default:
 *     the site's {@link SimulatorConfig#ambient()})
 * @param failure the scripted failure, if any ({@code failure}, optional)
 */
public record ProbeConfig(RomId rom, UnitKind kind, double ambient, Optional<Failure> failure) {

  /** Checks the fields; throws {@code InvalidValueException} naming the bad one. */
  public ProbeConfig {
    Checks.requireNonNull("rom", rom);
    Checks.requireNonNull("kind", kind);
    Checks.require(
        Double.isFinite(ambient) && ambient >= SimulatorConfig.AMBIENT_MIN && ambient <= SimulatorConfig.AMBIENT_MAX,
        "ambient",
        ambient,
        SimulatorConfig.AMBIENT_RULE);
    Checks.requireNonNull("failure", failure);
  }

  /** A probe without failure in a room at the default ambient. */
  public static ProbeConfig of(String rom, UnitKind kind) {
    return new ProbeConfig(RomId.of(rom), kind, SimulatorConfig.DEFAULT_AMBIENT, Optional.empty());
  }

  /** A copy with {@code failure} scripted. */
  public ProbeConfig withFailure(Failure failure) {
    return new ProbeConfig(rom, kind, ambient, Optional.of(failure));
  }

  /** A copy in a room at {@code celsius}. */
  public ProbeConfig withAmbient(double celsius) {
    return new ProbeConfig(rom, kind, celsius, failure);
  }
}
