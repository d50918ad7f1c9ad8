package org.sangfroid.agent.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * Each probe's latest reading, when it last read a valid temperature, how many faults it has
 * read since the agent started, and its calibration: for the local status and the metrics (what
 * the MQTT status reports about probes is kept in {@code sample.ProbeStates}). Fed by the sampler with each tick; read by the
 * status endpoint. Thread-safe.
 */
public final class ProbeReadings {
  /**
   * A probe: the unit it watches, its id, its driver type as in the configuration, and its
   * calibration if the configuration records one.
   */
  public record Probe(String unit, String sensor, String type, Optional<Calibration> calibration) {
    public Probe {
      Checks.requireId("unit", unit);
      Checks.requireId("sensor", sensor);
      Checks.requireNonNull("type", type);
      Checks.requireNonNull("calibration", calibration);
    }

    /** A probe without a recorded calibration. */
    public Probe(String unit, String sensor, String type) {
      this(unit, sensor, type, Optional.empty());
    }
  }

  /**
   * What a probe last read.
   *
   * @param last its latest reading; empty before the first tick
   * @param lastValidAt measurement time (epoch ms) of its latest valid reading; empty if none
   *     since the agent started
   * @param faults readings that were not valid since the agent started
   */
  public record State(Probe probe, Optional<Measurement> last, Optional<Long> lastValidAt, long faults) {
    public State {
      Checks.requireNonNull("probe", probe);
      Checks.requireNonNull("last", last);
      Checks.requireNonNull("lastValidAt", lastValidAt);
    }

    State next(Measurement m) {
      boolean ok = m.quality() == Quality.OK;
      return new State(probe, Optional.of(m), ok ? Optional.of(m.time()) : lastValidAt, faults + (ok ? 0 : 1));
    }
  }

  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private final Map<String, State> states = new ConcurrentHashMap<>();

  /** Watches {@code probes}, in the order the status lists them. */
  public ProbeReadings(List<Probe> probes) {
    for (Probe p : probes) {
      this.probes.put(key(p.unit(), p.sensor()), p);
      states.put(key(p.unit(), p.sensor()), new State(p, Optional.empty(), Optional.empty(), 0));
    }
  }

  /** Takes one sampling tick; readings of probes it does not know are ignored. Never throws. */
  public void onSampled(List<Measurement> tick) {
    for (Measurement m : tick) {
      states.computeIfPresent(key(m.unit(), m.sensor()), (k, s) -> s.next(m));
    }
  }

  /** Every probe's state, in configuration order. */
  public List<State> all() {
    List<State> out = new ArrayList<>(probes.size());
    for (String k : probes.keySet()) {
      out.add(states.get(k));
    }
    return out;
  }

  /** The state of one probe. */
  public State get(Probe probe) {
    return states.get(key(probe.unit(), probe.sensor()));
  }

  private static String key(String unit, String sensor) {
    return unit + "\u0000" + sensor;
  }
}
