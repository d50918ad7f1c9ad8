package org.sangfroid.simulator.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.probe.ProbeModel;
import org.sangfroid.simulator.scenario.Event;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.thermal.Cabinet;
import org.sangfroid.simulator.thermal.Defrost;
import org.sangfroid.simulator.thermal.ThermalParameters;

/**
 * One unit of a scenario with its probes, stepped in simulated time under the events of the
 * timeline that concern it. No clock, no threads, no I/O; not thread-safe. The air moves in
 * substeps of at most {@link #SUBSTEP} (the thermostat reacts between substeps), the glycol of
 * each probe follows it, and {@link #read()} reads every probe at the current time.
 *
 * <p>Randomness: the unit draws its starting temperature (uniform within the thermostat band)
 * and thermostat state from a {@link Random} seeded from the scenario's seed and its id; each
 * probe draws its noise from its own, seeded from the seed and the probe's id. The same
 * scenario gives the same readings, byte for byte, and adding a unit does not change the others.
 */
public final class SimulatedUnit {
  /** The longest physics step: the thermostat cannot react faster than this. */
  static final Duration SUBSTEP = Duration.ofSeconds(10);
  /** Defrost heater of a unit without an automatic defrost cycle, for a scripted {@code defrost}, °C/s. */
  static final double DEFAULT_DEFROST_RATE = 0.003;

  private record SimProbe(Scenario.Probe spec, ProbeModel model) {}

  private final Scenario.Unit spec;
  private final Profile profile;
  private final Cabinet cabinet;
  private final List<SimProbe> probes = new ArrayList<>();
  private final List<Event> events;
  private final Optional<Defrost> defrost;
  private final double defrostRate;
  private final Set<String> probeIds;
  private final List<Duration> inputEdges;
  private final boolean hasInputs;
  private final Rule.Limit[] limits;
  // Without events of its own a unit's conditions are always one of these two: a fleet of
  // thousands of units steps millions of times, so nothing is worked out or allocated per step.
  private final Cabinet.Conditions normal;
  private final Cabinet.Conditions defrosting;
  private long elapsedNanos;

  /**
   * @param spec the unit
   * @param timeline the scenario's events (the unit keeps those about it and its probes)
   * @param seed the scenario's seed
   */
  public SimulatedUnit(Scenario.Unit spec, List<Event> timeline, long seed) {
    this.spec = spec;
    this.profile = spec.effectiveProfile();
    ThermalParameters p = spec.kind().parameters().withSetPoint(spec.setPoint());
    Random random = new Random(mix(seed, "unit:" + spec.id()));
    double h = p.hysteresis();
    this.cabinet = new Cabinet(p, p.setPoint() - h + 2 * h * random.nextDouble(), random.nextBoolean());
    cabinet.setPoint(spec.setPoint()); // what a step without events leaves it at
    for (Scenario.Probe probe : spec.probes()) {
      probes.add(new SimProbe(probe, new ProbeModel(probe.parameters(), cabinet.temperature(),
          new Random(mix(seed, "probe:" + probe.id())))));
    }
    Set<String> probeIds = spec.probes().stream().map(Scenario.Probe::id).collect(Collectors.toSet());
    this.events = timeline.stream().filter(e -> concerns(e, spec.id(), probeIds)).toList();
    this.probeIds = probeIds;
    this.inputEdges = edges();
    this.defrost = spec.kind().defrost();
    this.defrostRate = defrost.map(Defrost::heaterRate).orElse(DEFAULT_DEFROST_RATE);
    this.hasInputs = events.stream()
        .anyMatch(e -> e instanceof Event.DoorOpen || e instanceof Event.PowerCut || e instanceof Event.AgitatorStop);
    this.limits = profile.rules().stream().filter(r -> r instanceof Rule.Limit).map(r -> (Rule.Limit) r)
        .toArray(Rule.Limit[]::new);
    this.normal = new Cabinet.Conditions(spec.ambient(), 0, true, 0);
    this.defrosting = new Cabinet.Conditions(spec.ambient(), 0, false, defrostRate);
  }

  /** A seed for one part of the scenario: the same scenario seed and name always give the same one. */
  static long mix(long seed, String name) {
    long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    return h ^ (h >>> 33);
  }

  private static boolean concerns(Event e, String unit, Set<String> probes) {
    if (e instanceof Event.DoorOpen d) {
      return d.unit().equals(unit);
    } else if (e instanceof Event.ActuatorFailure f) {
      return f.unit().equals(unit);
    } else if (e instanceof Event.PowerCut c) {
      return c.units().contains(unit);
    } else if (e instanceof Event.Defrost d) {
      return d.unit().equals(unit);
    } else if (e instanceof Event.SetPoint s) {
      return s.unit().equals(unit);
    } else if (e instanceof Event.HeatWave w) {
      return w.units().contains(unit);
    } else if (e instanceof Event.AgitatorStop a) {
      return a.unit().equals(unit);
    }
    return probe(e).filter(probes::contains).isPresent();
  }

  /** The probe an event is about, if it is about one. */
  private static Optional<String> probe(Event e) {
    if (e instanceof Event.ProbeFault f) {
      return Optional.of(f.probe());
    } else if (e instanceof Event.ProbeStuck s) {
      return Optional.of(s.probe());
    } else if (e instanceof Event.ProbeDrift d) {
      return Optional.of(d.probe());
    } else if (e instanceof Event.ProbeOutOfBuffer o) {
      return Optional.of(o.probe());
    }
    return Optional.empty();
  }

  /** Whether {@code e} is about this unit or one of its probes. */
  boolean concerns(Event e) {
    return concerns(e, spec.id(), probeIds);
  }

  /** Advances the unit to {@code target} after the start (never back). */
  public void advanceTo(Duration target) {
    long to = target.toNanos();
    long substep = SUBSTEP.toNanos();
    while (elapsedNanos < to) {
      long dt = Math.min(to - elapsedNanos, substep);
      double before = cabinet.temperature();
      if (events.isEmpty()) {
        cabinet.step(dt, automaticDefrost(elapsedNanos) ? defrosting : normal);
      } else {
        Duration e = Duration.ofNanos(elapsedNanos);
        cabinet.setPoint(setPointAt(e));
        cabinet.step(dt, conditionsAt(e));
      }
      for (SimProbe p : probes) {
        p.model().follow(dt, before, cabinet.temperature());
      }
      elapsedNanos += dt;
    }
  }

  private boolean automaticDefrost(long atNanos) {
    return defrost.isPresent() && defrost.get().activeAt(atNanos);
  }

  private double setPointAt(Duration e) {
    double setPoint = spec.setPoint();
    for (Event ev : events) {
      if (ev instanceof Event.SetPoint s && s.activeAt(e)) {
        setPoint = s.celsius();
      }
    }
    return setPoint;
  }

  private Cabinet.Conditions conditionsAt(Duration e) {
    double ambient = spec.ambient();
    double door = 0;
    boolean power = true;
    boolean failed = false;
    boolean defrosting = automaticDefrost(e.toNanos());
    for (Event ev : events) {
      if (!ev.activeAt(e)) {
        continue;
      }
      if (ev instanceof Event.HeatWave w) {
        ambient = w.ambient(); // the last one in the file wins
      } else if (ev instanceof Event.DoorOpen d) {
        door += d.load();
      } else if (ev instanceof Event.PowerCut) {
        power = false;
      } else if (ev instanceof Event.ActuatorFailure) {
        failed = true;
      } else if (ev instanceof Event.Defrost) {
        defrosting = true;
      }
    }
    defrosting &= power; // the defrost heater needs the mains too
    return new Cabinet.Conditions(ambient, door, power && !failed && !defrosting, defrosting ? defrostRate : 0);
  }

  /** Reads every probe now, in the unit's probe order. */
  public List<Reading> read() {
    List<Reading> out = new ArrayList<>(probes.size());
    for (SimProbe p : probes) {
      ProbeModel.Result r = p.model().read(cabinet.temperature(), probeState(p.spec().id()));
      out.add(new Reading(p.spec().id(), r.celsius(), r.quality()));
    }
    return out;
  }

  /** One probe's reading: {@code celsius} is {@code NaN} unless {@code quality} is OK. */
  public record Reading(String sensor, double celsius, Quality quality) {
    /** True when it carries a temperature. */
    public boolean valid() {
      return quality == Quality.OK;
    }
  }

  private ProbeModel.State probeState(String probe) {
    if (events.isEmpty()) {
      return ProbeModel.State.NORMAL;
    }
    Duration elapsed = Duration.ofNanos(elapsedNanos);
    boolean inBuffer = true;
    double drift = 0;
    boolean stuck = false;
    Optional<Quality> fault = Optional.empty();
    for (Event ev : events) {
      if (!probe(ev).filter(probe::equals).isPresent()) {
        continue;
      }
      if (ev instanceof Event.ProbeDrift d) {
        drift += d.driftAt(elapsed);
      } else if (!ev.activeAt(elapsed)) {
        continue;
      } else if (ev instanceof Event.ProbeOutOfBuffer) {
        inBuffer = false;
      } else if (ev instanceof Event.ProbeStuck) {
        stuck = true;
      } else if (ev instanceof Event.ProbeFault f && fault.isEmpty()) {
        fault = Optional.of(f.quality());
      }
    }
    return new ProbeModel.State(inBuffer, drift, stuck, fault);
  }

  /** Whether {@code input} is active {@code at} after the start (door open, power lost, agitator stopped). */
  boolean inputActive(InputChange.Input input, Duration at) {
    for (Event ev : events) {
      if (!ev.activeAt(at)) {
        continue;
      }
      boolean hit = switch (input) {
        case DOOR_OPEN -> ev instanceof Event.DoorOpen;
        case POWER_LOST -> ev instanceof Event.PowerCut;
        case AGITATOR_STOPPED -> ev instanceof Event.AgitatorStop;
      };
      if (hit) {
        return true;
      }
    }
    return false;
  }

  /** Whether any event of the timeline opens its door, cuts its power or stops its agitator. */
  boolean hasInputs() {
    return hasInputs;
  }

  /** The times (after the start) at which an input of this unit may change, in order, without repeats. */
  List<Duration> inputEdges() {
    return inputEdges;
  }

  private List<Duration> edges() {
    return events.stream()
        .filter(e -> e instanceof Event.DoorOpen || e instanceof Event.PowerCut || e instanceof Event.AgitatorStop)
        .flatMap(e -> e.end().isPresent() ? java.util.stream.Stream.of(e.at(), e.end().get())
            : java.util.stream.Stream.of(e.at()))
        .distinct().sorted().toList();
  }

  /**
   * True when {@code r} is an invalid reading or beyond a temperature limit of the unit's profile:
   * a full outbox drops such readings last.
   */
  boolean excursion(Reading r) {
    if (!r.valid()) {
      return true;
    }
    for (Rule.Limit limit : limits) { // the other rules have no temperature limit to be beyond
      if (limit.beyond(r.celsius())) {
        return true;
      }
    }
    return false;
  }

  /** The unit's air temperature now, °C. */
  double air() {
    return cabinet.temperature();
  }

  /** The scenario's description of the unit. */
  public Scenario.Unit spec() {
    return spec;
  }
}
