package org.sangfroid.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.simulator.config.ProbeConfig;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.failure.FailureKind;
import org.sangfroid.simulator.onewire.DeviceState;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.thermal.ThermalModel;

/**
 * Every probe of a simulated site, advanced deterministically in simulated time: no clock, no
 * threads, no I/O. The model moves in whole {@linkplain SimulatorConfig#step() steps} from its
 * start time; {@link #advanceTo(long)} takes as many as fit. Not thread-safe.
 *
 * <p>Each probe draws from its own {@link Random}, seeded from the site's seed and the probe's
 * ROM id, so the same configuration gives the same readings, byte for byte, whatever the calls
 * to {@code advanceTo} in between, and adding a probe does not change the others.
 *
 * <p>A failure is active for a step when it is active at the step's start (see {@link
 * Failure#activeAt(Duration)}); {@link #devices()} shows the probe failures active at {@link
 * #now()}.
 */
public final class SiteModel {
  private final long start;
  private final Duration step;
  private final Map<RomId, Probe> probes = new LinkedHashMap<>();
  private long steps;

  private record Probe(ProbeConfig config, ThermalModel model) {
    boolean active(FailureKind kind, Duration elapsed) {
      return config.failure().filter(f -> f.kind() == kind && f.activeAt(elapsed)).isPresent();
    }
  }

  /**
   * @param config the site: seed, step, ambient and probes
   * @param startEpochMillis simulated time of the start, UTC epoch milliseconds; failures count
   *     from here
   */
  public SiteModel(SimulatorConfig config, long startEpochMillis) {
    Checks.requireNonNull("config", config);
    this.start = startEpochMillis;
    this.step = config.step();
    for (ProbeConfig p : config.probes()) {
      Random random = new Random(probeSeed(config.seed(), p.rom()));
      probes.put(p.rom(), new Probe(p, new ThermalModel(p.kind().parameters(), p.ambient(), random)));
    }
  }

  private static long probeSeed(long seed, RomId rom) {
    return seed * 0x9E3779B97F4A7C15L + rom.value().hashCode();
  }

  /**
   * Advances every probe by whole steps up to {@code epochMillis} (inclusive). An earlier time
   * than {@link #now()} changes nothing: simulated time never goes back.
   */
  public void advanceTo(long epochMillis) {
    long stepMillis = step.toMillis();
    long target = Math.floorDiv(epochMillis - start, stepMillis);
    while (steps < target) {
      Duration elapsed = elapsed();
      for (Probe p : probes.values()) {
        boolean door = p.active(FailureKind.DOOR_OPEN, elapsed);
        boolean works = !p.active(FailureKind.COMPRESSOR_STOP, elapsed);
        p.model().step(step, door, works);
      }
      steps++;
    }
  }

  /** Simulated time of the last step, UTC epoch milliseconds. */
  public long now() {
    return start + steps * step.toMillis();
  }

  /** Simulated time since the start. */
  public Duration elapsed() {
    return step.multipliedBy(steps);
  }

  /** The probes' ids, in configuration order. */
  public List<RomId> roms() {
    return List.copyOf(probes.keySet());
  }

  /**
   * What probe {@code rom} read at the last step, °C, with its noise and 1/16 °C resolution,
   * whatever failure hides it from the 1-Wire tree.
   *
   * @throws InvalidValueException if no probe has that id
   */
  public double temperature(String rom) {
    return probe(rom).model().reading();
  }

  /** Same as {@link #temperature(String)}. */
  public double temperature(RomId rom) {
    return temperature(rom.value());
  }

  /** The thermal model of probe {@code rom}, for its true temperature and thermostat state. */
  public ThermalModel model(String rom) {
    return probe(rom).model();
  }

  /** The failure scripted for probe {@code rom}, active at {@link #now()}, if any. */
  public Optional<Failure> activeFailure(String rom) {
    Duration elapsed = elapsed();
    return probe(rom).config().failure().filter(f -> f.activeAt(elapsed));
  }

  /** What each probe shows in the 1-Wire tree at {@link #now()}, in configuration order. */
  public Map<RomId, DeviceState> devices() {
    Duration elapsed = elapsed();
    Map<RomId, DeviceState> out = new LinkedHashMap<>();
    probes.forEach((rom, p) -> out.put(rom, state(p, elapsed)));
    return Collections.unmodifiableMap(out);
  }

  private static DeviceState state(Probe p, Duration elapsed) {
    double reading = p.model().reading();
    Optional<FailureKind> fault = p.config().failure().filter(f -> f.activeAt(elapsed)).map(Failure::kind);
    if (fault.isEmpty()) {
      return new DeviceState.Reading(reading);
    }
    return switch (fault.get()) {
      case PROBE_DISCONNECT -> new DeviceState.Disconnected();
      case CRC_ERROR -> new DeviceState.CrcError(reading);
      case POWER_ON_RESET -> new DeviceState.PowerOnReset();
      case EMPTY_READ -> new DeviceState.EmptyRead();
      case DOOR_OPEN, COMPRESSOR_STOP -> new DeviceState.Reading(reading);
    };
  }

  private Probe probe(String rom) {
    Probe p = RomId.isValid(rom) ? probes.get(RomId.of(rom)) : null;
    if (p == null) {
      throw new InvalidValueException(Checks.message("rom", rom, "be one of " + probes.keySet()));
    }
    return p;
  }
}
