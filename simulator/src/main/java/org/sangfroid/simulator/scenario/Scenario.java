package org.sangfroid.simulator.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.simulator.probe.ProbeParameters;
import org.sangfroid.simulator.thermal.UnitKind;

/**
 * A scenario: what to simulate, for how long, and which alarms the gateway must raise. Read from
 * a YAML file by {@link ScenarioFile}, which documents every key.
 *
 * @param name a title for the report
 * @param description what the scenario shows, for the report ("" when none)
 * @param seed seed of every random draw: the same seed gives the same readings, byte for byte
 * @param start simulated time of the start (UTC); every time in the run counts from here
 * @param duration how long the run lasts in simulated time
 * @param step the agents' sampling period: every probe is read once per step
 * @param tick how often the gateway's engine tick runs (monitoring lost, inputs held, trips),
 *     a whole number of steps
 * @param ambient the room temperature around every unit unless it says otherwise, °C
 * @param sites the sites, their agents and units
 * @param events the timeline, in file order
 * @param expected the alarms the gateway must raise
 * @param quiet units on which no alarm at all is expected (said explicitly)
 * @param ignored alarm kinds never counted as unexpected (still matched when expected)
 */
public record Scenario(
    String name,
    String description,
    long seed,
    Instant start,
    Duration duration,
    Duration step,
    Duration tick,
    double ambient,
    List<Site> sites,
    List<Event> events,
    List<Expectation> expected,
    Set<String> quiet,
    Set<AlarmKind> ignored) {

  public Scenario {
    Checks.requireNonNull("name", name);
    Checks.requireNonNull("description", description);
    Checks.requireNonNull("start", start);
    Checks.require(duration != null && duration.toMillis() > 0, "duration", duration, "be positive");
    Checks.require(step != null && step.toMillis() >= 1000, "step", step, "be at least 1s");
    Checks.require(tick != null && tick.toMillis() % step.toMillis() == 0 && tick.toMillis() > 0, "tick", tick,
        "be a whole number of steps (" + step + ")");
    Checks.requireFinite("ambient", ambient);
    sites = List.copyOf(sites);
    for (Site site : sites) {
      for (Agent a : site.agents()) {
        a.publishEvery().ifPresent(d -> Checks.require(d.toMillis() % step.toMillis() == 0, "publishEvery", d,
            "be a whole number of steps (" + step + ")"));
      }
    }
    events = List.copyOf(events);
    expected = List.copyOf(expected);
    quiet = Set.copyOf(quiet);
    ignored = Set.copyOf(ignored);
  }

  /** A place with agents. */
  public record Site(String id, String name, List<Agent> agents) {
    public Site {
      Checks.requireId("site", id);
      Checks.requireNonNull("name", name);
      agents = List.copyOf(agents);
    }
  }

  /**
   * A virtual edge agent: one MQTT connection, its own sequence numbers and outbox.
   *
   * @param outbox readings its outbox holds at most; past it, it drops the oldest readings that
   *     are within every limit of their unit's profile first, as the real agent does
   * @param batchSize readings per MQTT message, 1 to 2000
   * @param publishEvery how often it sends what it holds; empty: at every step, as the real
   *     agent does (a whole number of the scenario's steps otherwise)
   */
  public record Agent(String site, String id, int outbox, int batchSize, Optional<Duration> publishEvery,
      List<Unit> units) {
    public Agent {
      Checks.requireId("site", site);
      Checks.requireId("agent", id);
      Checks.require(outbox >= 10, "outbox", outbox, "be at least 10 readings");
      Checks.require(batchSize >= 1 && batchSize <= 2000, "batchSize", batchSize, "be from 1 to 2000");
      Checks.requireNonNull("publishEvery", publishEvery);
      publishEvery.ifPresent(d -> Checks.require(d.toMillis() > 0, "publishEvery", d, "be positive"));
      units = List.copyOf(units);
    }
  }

  /**
   * A storage unit.
   *
   * @param kind the thermal model
   * @param profile id of one of core's default profiles
   * @param delay the site's alarm delay for the range and warnings (as in the gateway's
   *     configuration), empty: the profile's
   * @param hysteresis the site's hysteresis, °C, empty: the profile's
   * @param monitoringLostAfter the site's monitoring-lost time, empty: the profile's
   * @param rateOfChange the site's rate-of-change warning, if any (as in the gateway's configuration)
   * @param transitTime a transport box's validated transit time, replacing the profile's maximum
   * @param ambient the room around this unit, °C
   * @param setPoint the thermostat's set point at the start, °C
   * @param probes at least one
   */
  public record Unit(String site, String agent, String id, String name, UnitKind kind, String profile,
      Optional<Duration> delay, Optional<Double> hysteresis, Optional<Duration> monitoringLostAfter,
      Optional<Rule.RateOfChange> rateOfChange, Optional<Duration> transitTime, double ambient, double setPoint,
      List<Probe> probes) {
    public Unit {
      Checks.requireId("unit", id);
      Checks.requireNonNull("name", name);
      Checks.requireNonNull("kind", kind);
      Checks.require(Profiles.byId(profile).isPresent(), "profile", profile, "be one of " + Profiles.ids());
      Checks.requireNonNull("delay", delay);
      Checks.requireNonNull("hysteresis", hysteresis);
      Checks.requireNonNull("monitoringLostAfter", monitoringLostAfter);
      Checks.requireNonNull("rateOfChange", rateOfChange);
      Checks.requireNonNull("transitTime", transitTime);
      Checks.requireFinite("ambient", ambient);
      Checks.requireFinite("setPoint", setPoint);
      probes = List.copyOf(probes);
      Checks.require(!probes.isEmpty(), "probes", probes, "list at least one probe");
    }

    /** The profile the gateway applies: the default one with the site's timing and rules. */
    public Profile effectiveProfile() {
      Profile p = Profiles.byId(profile).orElseThrow();
      Profile timed = p.withTiming(delay.orElse(p.delay()), hysteresis.orElse(p.hysteresis()),
          monitoringLostAfter.orElse(p.monitoringLostAfter()));
      if (rateOfChange.isPresent()) {
        timed = timed.withRule(rateOfChange.get());
      }
      if (transitTime.isPresent()) {
        timed = timed.withRule(new Rule.TransitTime(transitTime.get()));
      }
      return timed;
    }
  }

  /** A probe of a unit; {@code id} is the sensor id in the readings. */
  public record Probe(String id, ProbeParameters parameters) {
    public Probe {
      Checks.requireId("sensor", id);
      Checks.requireNonNull("parameters", parameters);
    }
  }

  /**
   * An alarm the gateway must raise: on {@code unit}, of {@code kind}, its condition starting
   * ({@code startedAt}) within {@code tolerance} of {@code start} after the run's start.
   */
  public record Expectation(String unit, AlarmKind kind, Duration start, Duration tolerance) {
    public Expectation {
      Checks.requireId("unit", unit);
      Checks.requireNonNull("kind", kind);
      Checks.require(start != null && !start.isNegative(), "start", start, "be 0s or later");
      Checks.require(tolerance != null && !tolerance.isNegative(), "tolerance", tolerance, "be 0s or more");
    }
  }

  /** Every agent, site by site. */
  public List<Agent> agents() {
    return sites.stream().flatMap(s -> s.agents().stream()).toList();
  }

  /** Every unit, agent by agent. */
  public List<Unit> units() {
    return agents().stream().flatMap(a -> a.units().stream()).toList();
  }

  /** The unit with this id, if any. */
  public Optional<Unit> unit(String id) {
    return units().stream().filter(u -> u.id().equals(id)).findFirst();
  }

  /** How many steps the run takes (readings are taken at step 0 to this one, both included). */
  public long steps() {
    return duration.toMillis() / step.toMillis();
  }

  /** A copy with another seed. */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, newSeed, start, duration, step, tick, ambient, sites, events, expected,
        quiet, ignored);
  }

  /** A copy with other expectations (to show what a wrong one does). */
  public Scenario withExpected(List<Expectation> newExpected) {
    return new Scenario(name, description, seed, start, duration, step, tick, ambient, sites, events, newExpected,
        quiet, ignored);
  }
}
