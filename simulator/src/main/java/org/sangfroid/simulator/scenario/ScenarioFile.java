package org.sangfroid.simulator.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.config.ConfigDocument;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.probe.ProbeParameters;
import org.sangfroid.simulator.probe.ProbeType;
import org.sangfroid.simulator.scenario.Scenario.Agent;
import org.sangfroid.simulator.scenario.Scenario.Expectation;
import org.sangfroid.simulator.scenario.Scenario.Probe;
import org.sangfroid.simulator.scenario.Scenario.Site;
import org.sangfroid.simulator.scenario.Scenario.Unit;
import org.sangfroid.simulator.thermal.UnitKind;

/**
 * Reads a scenario file and checks it all at once: every problem is listed as
 * {@code file:line: what} ({@link ConfigException}). Every key, with its unit and default:
 *
 * <pre>
 * name: Red-cell fridge, door left open   # required: the report's title
 * description: ...                         # optional: what it shows
 * seed: 42                                 # random seed (default 1): same seed, same readings
 * start: 2026-01-05T00:00:00Z              # simulated start, UTC (default 2026-01-05T00:00:00Z)
 * duration: 24h                            # required: run length, 1m to 31d
 * step: 1m                                 # sampling period, 1s to 1h (default 1m)
 * tick: 1m                                 # gateway engine tick, whole steps (default: step)
 * ambient: 22                              # room temperature, °C, -40 to 60 (default 22)
 * sites:                                   # at least one
 *   - id: casa-01                          # unique
 *     name: Casablanca                     # default: the id
 *     agents:                              # at least one per site
 *       - id: agent-01                     # unique in the scenario
 *         outbox: 350000                   # readings held at most, 10 to 50000000 (default 350000)
 *         batchSize: 500                   # readings per message, 1 to 2000 (default 500)
 *         publishEvery: 5m                 # sends every 5 min, whole steps (default: every step)
 *         units:                           # at least one per agent
 *           - id: rbc-fridge-1             # unique in the scenario
 *             name: Red cell fridge 1      # default: the id
 *             kind: fridge                 # fridge | freezer | incubator | ult-freezer | cold-room | transport-box
 *             profile: RBC_STORE_EU        # one of core's default profiles
 *             delay: 5m                    # optional site override, as in the gateway (0s to 1d)
 *             hysteresis: 0.5              # optional site override, °C (0 to 10)
 *             monitoringLostAfter: 10m     # optional site override (1m to 7d)
 *             rateOfChange:                # optional warning, as in the gateway: faster than
 *               perHour: 3.0               #   perHour °C/h (0.1 to 100) over window (default 30m,
 *               window: 30m                #   1m to 1d); hysteresis default a fifth of perHour
 *             transitTime: 330m            # optional: a box's validated transit time (10m to 7d)
 *             ambient: 22                  # °C, default: the scenario's
 *             setPoint: 4                  # thermostat, °C, default: the kind's
 *             probes:                      # default: one, id {unit}-probe, the kind's probe
 *               - id: rbc-fridge-1-probe   # sensor id, unique in the scenario
 *                 type: glycol             # air | glycol (default: the kind's)
 *                 lag: 10m                 # glycol time constant (default 10m)
 *                 noise: 0.03              # °C, standard deviation (default: the kind's)
 *                 resolution: 0.0625       # °C (default: the kind's)
 * events:                                  # optional timeline; at/duration from the start
 *   - type: door-open                      # see below
 *     unit: rbc-fridge-1
 *     at: 6h                               # required, before the end of the run
 *     duration: 30m                        # required for some types, else: until the end
 *     load: 1                              # door-open only: 1 = usual opening (default 1)
 * expect:                                  # the alarms the gateway must raise
 *   - unit: rbc-fridge-1
 *     kind: HIGH_TEMPERATURE               # core's AlarmKind name
 *     start: 6h10m                         # when the condition starts, after the run's start
 *     tolerance: 10m                       # how far the raised alarm's start may be (default 5m)
 *   - unit: ffp-freezer-1
 *     none: true                           # no alarm at all on this unit
 * ignore: [HIGH_WARNING, LOW_WARNING]      # kinds never counted as unexpected (default none)
 * </pre>
 *
 * <p>Event types and their keys: {@code door-open} (unit, duration, load), {@code
 * compressor-failure} or {@code heater-failure} (unit), {@code power-cut} (unit or site), {@code
 * defrost} (unit, duration), {@code set-point} (unit, celsius), {@code heat-wave} (unit or site,
 * ambient), {@code agitator-stop} (unit: an incubator), {@code probe-disconnect}, {@code
 * probe-crc-error}, {@code probe-power-on-reset}, {@code probe-stuck}, {@code probe-out-of-glycol}
 * (probe), {@code probe-drift} (probe, perDay), {@code network-loss} (agent), {@code agent-crash}
 * (agent, duration), {@code clock-unsynced} (agent, duration, behind). Durations may be compound:
 * {@code 6h10m}, {@code 2d3h}.
 */
public final class ScenarioFile {
  /** The default simulated start: a Monday, fixed so that a run never depends on today's date. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");
  public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
  public static final double DEFAULT_AMBIENT = 22;
  public static final int DEFAULT_OUTBOX = 350_000;
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  static final Duration MAX_DURATION = Duration.ofDays(31);

  private static final Set<String> KEYS = Set.of("name", "description", "seed", "start", "duration", "step",
      "tick", "ambient", "sites", "events", "expect", "ignore");
  private static final Set<String> SITE_KEYS = Set.of("id", "name", "agents");
  private static final Set<String> AGENT_KEYS = Set.of("id", "outbox", "batchSize", "publishEvery", "units");
  private static final Set<String> UNIT_KEYS = Set.of("id", "name", "kind", "profile", "delay", "hysteresis",
      "monitoringLostAfter", "rateOfChange", "transitTime", "ambient", "setPoint", "probes");
  private static final Set<String> RATE_KEYS = Set.of("perHour", "window", "hysteresis");
  private static final Set<String> PROBE_KEYS = Set.of("id", "type", "lag", "noise", "resolution");
  private static final Set<String> EXPECT_KEYS = Set.of("unit", "kind", "start", "tolerance", "none");
  private static final List<String> EVENT_TYPES = List.of("door-open", "compressor-failure", "heater-failure",
      "power-cut", "defrost", "set-point", "heat-wave", "agitator-stop", "probe-disconnect", "probe-crc-error",
      "probe-power-on-reset", "probe-stuck", "probe-drift", "probe-out-of-glycol", "network-loss", "agent-crash",
      "clock-unsynced");
  /** Kinds every unit can raise whatever its profile: the engine's tick, and the gateway's own. */
  private static final Set<AlarmKind> ALWAYS = EnumSet.of(AlarmKind.MONITORING_LOST, AlarmKind.SEQUENCE_GAP);

  private final ConfigDocument doc;
  private final Map<String, Unit> units = new LinkedHashMap<>();
  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, Site> sites = new LinkedHashMap<>();
  private final Map<String, Integer> firstLine = new HashMap<>();

  private ScenarioFile(ConfigDocument doc) {
    this.doc = doc;
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigException listing every problem as {@code file:line: what}
   */
  public static Scenario load(Path file) {
    return new ScenarioFile(ConfigDocument.load(file)).read();
  }

  /** Reads and checks {@code text}, naming it {@code name} in messages. */
  public static Scenario parse(String name, String text) {
    return new ScenarioFile(ConfigDocument.parse(name, text)).read();
  }

  private Scenario read() {
    ConfigNode root = doc.root();
    if (!root.expectMapping()) {
      doc.finish();
    }
    root.allowOnly(KEYS);
    String name = root.string("name");
    String description = root.string("description", "").strip();
    long seed = root.get("seed").map(this::seed).orElse(1L);
    Instant start = root.get("start").map(this::instant).orElse(DEFAULT_START);
    Optional<ConfigNode> durationNode = root.require("duration");
    Duration duration = duration(root, "duration", Duration.ofHours(1), Duration.ofMinutes(1), MAX_DURATION);
    Duration step = duration(root, "step", DEFAULT_STEP, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration tick = duration(root, "tick", step, step, Duration.ofDays(1));
    if (tick.toMillis() % step.toMillis() != 0) {
      root.get("tick").ifPresent(n -> n.invalid("be a whole number of steps (" + Durations.human(step) + ")"));
      tick = step;
    }
    double ambient = ambient(root, DEFAULT_AMBIENT);
    List<Site> siteList = sites(root, ambient, step);
    List<Event> events = root.get("events").map(n -> events(n, duration)).orElse(List.of());
    Set<String> quiet = new LinkedHashSet<>();
    List<Expectation> expected = root.get("expect").map(n -> expectations(n, duration, quiet)).orElse(List.of());
    Set<AlarmKind> ignored = root.get("ignore").map(this::kinds).orElse(Set.of());
    if (durationNode.isPresent() && duration.compareTo(step) < 0) {
      durationNode.get().invalid("be at least one step (" + Durations.human(step) + ")");
    }
    doc.finish();
    try {
      return new Scenario(name, description, seed, start, duration, step, tick, ambient, siteList, events, expected,
          quiet, ignored);
    } catch (InvalidValueException e) { // a rule the walk above missed: still a file problem
      throw new ConfigException(List.of(doc.name() + ":1: " + e.getMessage()));
    }
  }

  // ---- values ----

  private long seed(ConfigNode n) {
    try {
      return Long.parseLong(n.text().orElse("").trim());
    } catch (NumberFormatException e) {
      n.invalid("be a whole number");
      return 1;
    }
  }

  private Instant instant(ConfigNode n) {
    String text = n.text().orElse("").trim();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      n.invalid("be a UTC time such as 2026-01-05T00:00:00Z");
      return DEFAULT_START;
    }
  }

  private static Duration duration(ConfigNode parent, String key, Duration fallback, Duration min, Duration max) {
    Optional<ConfigNode> node = parent.get(key);
    if (node.isEmpty()) {
      return fallback;
    }
    String rule = "be a duration from " + Durations.human(min) + " to " + Durations.human(max)
        + " such as 90s, 30m, 6h10m or 2d";
    Optional<String> text = node.get().text();
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(text.get());
      if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    node.get().invalid(rule);
    return fallback;
  }

  private static Optional<Duration> optionalDuration(ConfigNode parent, String key, Duration min, Duration max) {
    return parent.get(key).map(n -> duration(parent, key, min, min, max));
  }

  private static double ambient(ConfigNode parent, double fallback) {
    return number(parent, "ambient", -40, 60, "be a temperature from -40 to 60 °C").orElse(fallback);
  }

  private static Optional<Double> number(ConfigNode parent, String key, double min, double max, String rule) {
    Optional<Double> value = parent.decimal(key);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      parent.get(key).ifPresent(n -> n.invalid(rule));
      return Optional.empty();
    }
    return value;
  }

  private Optional<String> uniqueId(ConfigNode parent, String key, String what) {
    String id = parent.id(key);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    ConfigNode node = parent.get(key).orElseThrow();
    Integer first = firstLine.putIfAbsent(what + ":" + id, node.line());
    if (first != null) {
      node.problem(node.path() + " [" + id + "] must be unique among the " + what + "s of the scenario, found also"
          + " on line " + first + ".");
      return Optional.empty();
    }
    return Optional.of(id);
  }

  // ---- sites, agents, units, probes ----

  private List<Site> sites(ConfigNode root, double ambient, Duration step) {
    Optional<ConfigNode> list = root.require("sites");
    if (list.isEmpty()) {
      return List.of();
    }
    List<ConfigNode> elements = list.get().elements();
    if (elements.isEmpty()) {
      list.get().problem("sites must list at least one site");
    }
    List<Site> out = new ArrayList<>();
    for (ConfigNode s : elements) {
      if (!s.expectMapping()) {
        continue;
      }
      s.allowOnly(SITE_KEYS);
      Optional<String> id = uniqueId(s, "id", "site");
      String name = s.string("name", id.orElse(""));
      List<Agent> agentList = new ArrayList<>();
      List<ConfigNode> agentNodes = s.require("agents").map(ConfigNode::elements).orElse(List.of());
      if (agentNodes.isEmpty()) {
        s.get("agents").ifPresent(n -> n.problem(n.path() + " must list at least one agent"));
      }
      for (ConfigNode a : agentNodes) {
        agent(a, id.orElse("invalid"), ambient, step).ifPresent(agentList::add);
      }
      if (id.isPresent()) {
        Site site = new Site(id.get(), name, agentList);
        sites.put(site.id(), site);
        out.add(site);
      }
    }
    return out;
  }

  private Optional<Agent> agent(ConfigNode a, String site, double ambient, Duration step) {
    if (!a.expectMapping()) {
      return Optional.empty();
    }
    a.allowOnly(AGENT_KEYS);
    Optional<String> id = uniqueId(a, "id", "agent");
    int outbox = a.integer("outbox", DEFAULT_OUTBOX, 10, 50_000_000);
    int batchSize = a.integer("batchSize", DEFAULT_BATCH_SIZE, 1, 2000);
    Optional<Duration> publishEvery = optionalDuration(a, "publishEvery", step, Duration.ofDays(1));
    if (publishEvery.isPresent() && publishEvery.get().toMillis() % step.toMillis() != 0) {
      a.get("publishEvery").orElseThrow().invalid("be a whole number of steps (" + Durations.human(step) + ")");
      publishEvery = Optional.empty();
    }
    List<Unit> unitList = new ArrayList<>();
    List<ConfigNode> unitNodes = a.require("units").map(ConfigNode::elements).orElse(List.of());
    if (unitNodes.isEmpty()) {
      a.get("units").ifPresent(n -> n.problem(n.path() + " must list at least one unit"));
    }
    for (ConfigNode u : unitNodes) {
      unit(u, site, id.orElse("invalid"), ambient).ifPresent(unitList::add);
    }
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Agent agent = new Agent(site, id.get(), outbox, batchSize, publishEvery, unitList);
    agents.put(agent.id(), agent);
    return Optional.of(agent);
  }

  private Optional<Unit> unit(ConfigNode u, String site, String agent, double siteAmbient) {
    if (!u.expectMapping()) {
      return Optional.empty();
    }
    u.allowOnly(UNIT_KEYS);
    Optional<String> id = uniqueId(u, "id", "unit");
    String name = u.string("name", id.orElse(""));
    Optional<UnitKind> kind = choice(u, "kind", UnitKind::fromConfigName,
        Arrays.stream(UnitKind.values()).map(UnitKind::configName).toList());
    Optional<String> profile = u.require("profile").flatMap(ConfigNode::text).map(String::trim);
    if (profile.isPresent() && Profiles.byId(profile.get()).isEmpty()) {
      u.get("profile").orElseThrow().invalid("be one of " + String.join(", ", Profiles.ids()));
      profile = Optional.empty();
    }
    Optional<Duration> delay = optionalDuration(u, "delay", Duration.ZERO, Duration.ofDays(1));
    Optional<Double> hysteresis = number(u, "hysteresis", 0, 10, "be a number of °C from 0 to 10");
    Optional<Duration> lost = optionalDuration(u, "monitoringLostAfter", Duration.ofMinutes(1), Duration.ofDays(7));
    Optional<Rule.RateOfChange> rate = u.get("rateOfChange").flatMap(ScenarioFile::rate);
    Optional<Duration> transit = optionalDuration(u, "transitTime", Duration.ofMinutes(10), Duration.ofDays(7));
    double ambient = ambient(u, siteAmbient);
    Optional<Double> setPoint = number(u, "setPoint", -100, 60, "be a temperature from -100 to 60 °C");
    List<Probe> probeList = new ArrayList<>();
    if (u.get("probes").isPresent()) {
      List<ConfigNode> nodes = u.list("probes");
      if (nodes.isEmpty()) {
        u.get("probes").orElseThrow().problem(u.path() + ".probes must list at least one probe, or be left out");
      }
      for (ConfigNode p : nodes) {
        probe(p, kind).ifPresent(probeList::add);
      }
    } else if (id.isPresent() && kind.isPresent()) {
      String probeId = id.get().length() <= 58 ? id.get() + "-probe" : id.get();
      if (probes.containsKey(probeId)) {
        u.problem(u.path() + ": its default probe id [" + probeId + "] is taken; give its probes ids");
      } else {
        Probe p = new Probe(probeId, kind.get().probe());
        probes.put(p.id(), p);
        probeList.add(p);
      }
    }
    if (id.isEmpty() || kind.isEmpty() || profile.isEmpty() || probeList.isEmpty()) {
      return Optional.empty();
    }
    Unit unit = new Unit(site, agent, id.get(), name, kind.get(), profile.get(), delay, hysteresis, lost, rate,
        transit, ambient, setPoint.orElse(kind.get().parameters().setPoint()), probeList);
    units.put(unit.id(), unit);
    return Optional.of(unit);
  }

  private static Optional<Rule.RateOfChange> rate(ConfigNode r) {
    if (!r.expectMapping()) {
      return Optional.empty();
    }
    r.allowOnly(RATE_KEYS);
    if (r.require("perHour").isEmpty()) {
      return Optional.empty();
    }
    Optional<Double> perHour = number(r, "perHour", 0.1, 100, "be a number of °C per hour from 0.1 to 100");
    Duration window = duration(r, "window", Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofDays(1));
    if (perHour.isEmpty()) {
      return Optional.empty();
    }
    double margin = r.decimal("hysteresis").orElse(perHour.get() / 5);
    if (margin < 0 || margin >= perHour.get()) {
      r.get("hysteresis").orElseThrow().invalid("be at least 0 and below perHour (" + perHour.get() + ")");
      return Optional.empty();
    }
    return Optional.of(new Rule.RateOfChange(perHour.get(), window, margin));
  }

  private Optional<Probe> probe(ConfigNode p, Optional<UnitKind> kind) {
    if (!p.expectMapping()) {
      return Optional.empty();
    }
    p.allowOnly(PROBE_KEYS);
    Optional<String> id = uniqueId(p, "id", "probe");
    ProbeParameters base = kind.map(UnitKind::probe).orElse(UnitKind.FRIDGE.probe());
    Optional<ProbeType> type = p.get("type").isPresent()
        ? choice(p, "type", ProbeType::fromConfigName, Arrays.stream(ProbeType.values())
            .map(ProbeType::configName).toList())
        : Optional.of(base.type());
    Duration lag = duration(p, "lag", base.type() == ProbeType.GLYCOL ? base.lag()
        : ProbeParameters.DEFAULT_GLYCOL_LAG, Duration.ofSeconds(1), Duration.ofDays(1));
    double noise = number(p, "noise", 0, 5, "be a number of °C from 0 to 5").orElse(base.noise());
    double resolution = number(p, "resolution", 0.001, 1, "be a number of °C from 0.001 to 1")
        .orElse(base.resolution());
    if (id.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    Probe probe = new Probe(id.get(), new ProbeParameters(type.get(), lag, noise, resolution));
    probes.put(probe.id(), probe);
    return Optional.of(probe);
  }

  private static <T> Optional<T> choice(ConfigNode parent, String key,
      java.util.function.Function<String, Optional<T>> lookup, List<String> names) {
    Optional<ConfigNode> node = parent.require(key);
    Optional<String> text = node.flatMap(ConfigNode::text);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<T> value = lookup.apply(text.get().trim());
    if (value.isEmpty()) {
      node.get().invalid("be one of " + String.join(", ", names));
    }
    return value;
  }

  // ---- events ----

  private List<Event> events(ConfigNode list, Duration runLength) {
    List<Event> out = new ArrayList<>();
    for (ConfigNode e : list.elements()) {
      if (e.expectMapping()) {
        event(e, runLength).ifPresent(out::add);
      }
    }
    return out;
  }

  private Optional<Event> event(ConfigNode e, Duration runLength) {
    Optional<String> type = e.require("type").flatMap(ConfigNode::text).map(String::trim);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    if (!EVENT_TYPES.contains(type.get())) {
      e.get("type").orElseThrow().invalid("be one of " + String.join(", ", EVENT_TYPES));
      return Optional.empty();
    }
    String t = type.get();
    Set<String> keys = new LinkedHashSet<>(List.of("type", "at", "duration"));
    keys.addAll(switch (t) {
      case "power-cut", "heat-wave" -> List.of("unit", "site");
      case "network-loss", "agent-crash", "clock-unsynced" -> List.of("agent");
      default -> t.startsWith("probe-") ? List.of("probe") : List.of("unit");
    });
    switch (t) {
      case "door-open" -> keys.add("load");
      case "set-point" -> keys.add("celsius");
      case "heat-wave" -> keys.add("ambient");
      case "probe-drift" -> keys.add("perDay");
      case "clock-unsynced" -> keys.add("behind");
      default -> { }
    }
    e.allowOnly(keys);
    Optional<ConfigNode> atNode = e.require("at");
    Duration at = duration(e, "at", Duration.ZERO, Duration.ZERO, MAX_DURATION);
    if (atNode.isPresent() && at.compareTo(runLength) >= 0) {
      atNode.get().invalid("be before the end of the run (" + Durations.human(runLength) + ")");
    }
    Optional<Duration> duration = optionalDuration(e, "duration", Duration.ofSeconds(1), MAX_DURATION);
    boolean needsDuration = List.of("door-open", "defrost", "agent-crash", "clock-unsynced").contains(t);
    if (needsDuration && e.get("duration").isEmpty()) {
      e.problem(e.path() + ".duration is missing: a " + t + " event needs one");
      return Optional.empty();
    }
    try {
      return switch (t) {
        case "door-open" -> unitRef(e).map(u -> new Event.DoorOpen(u, at, duration,
            number(e, "load", 0.01, 100, "be a number from 0.01 to 100").orElse(1.0)));
        case "compressor-failure", "heater-failure" -> unitRef(e).map(u -> new Event.ActuatorFailure(u, at, duration));
        case "power-cut" -> unitsRef(e).map(us -> new Event.PowerCut(us, at, duration));
        case "defrost" -> unitRef(e).map(u -> new Event.Defrost(u, at, duration));
        case "set-point" -> required(e, "celsius", -100, 60, "be a temperature from -100 to 60 °C")
            .flatMap(c -> unitRef(e).map(u -> new Event.SetPoint(u, at, duration, c)));
        case "heat-wave" -> required(e, "ambient", -40, 60, "be a temperature from -40 to 60 °C")
            .flatMap(c -> unitsRef(e).map(us -> new Event.HeatWave(us, at, duration, c)));
        case "agitator-stop" -> unitRef(e).flatMap(u -> agitated(e, u))
            .map(u -> new Event.AgitatorStop(u, at, duration));
        case "probe-disconnect" -> probeRef(e).map(p -> new Event.ProbeFault(p, at, duration, Quality.DISCONNECTED));
        case "probe-crc-error" -> probeRef(e).map(p -> new Event.ProbeFault(p, at, duration, Quality.CRC_ERROR));
        case "probe-power-on-reset" -> probeRef(e)
            .map(p -> new Event.ProbeFault(p, at, duration, Quality.POWER_ON_RESET));
        case "probe-stuck" -> probeRef(e).map(p -> new Event.ProbeStuck(p, at, duration));
        case "probe-drift" -> required(e, "perDay", -10, 10, "be a drift of -10 to 10 °C a day, not 0")
            .flatMap(d -> probeRef(e).map(p -> new Event.ProbeDrift(p, at, duration, d)));
        case "probe-out-of-glycol" -> probeRef(e).flatMap(p -> glycol(e, p))
            .map(p -> new Event.ProbeOutOfBuffer(p, at, duration));
        case "network-loss" -> agentRef(e).map(a -> new Event.NetworkLoss(a, at, duration));
        case "agent-crash" -> agentRef(e).map(a -> new Event.AgentCrash(a, at, duration));
        default -> agentRef(e).map(a -> new Event.ClockUnsynced(a, at, duration,
            duration(e, "behind", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(3650))));
      };
    } catch (InvalidValueException ex) {
      e.problem(e.path() + ": " + ex.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Double> required(ConfigNode e, String key, double min, double max, String rule) {
    if (e.require(key).isEmpty()) {
      return Optional.empty();
    }
    Optional<Double> value = number(e, key, min, max, rule);
    if (value.isPresent() && value.get() == 0 && key.equals("perDay")) {
      e.get(key).orElseThrow().invalid(rule);
      return Optional.empty();
    }
    return value;
  }

  private Optional<String> unitRef(ConfigNode e) {
    return ref(e, "unit", units.keySet(), "unit");
  }

  private Optional<String> probeRef(ConfigNode e) {
    return ref(e, "probe", probes.keySet(), "probe");
  }

  private Optional<String> agentRef(ConfigNode e) {
    return ref(e, "agent", agents.keySet(), "agent");
  }

  /** A unit, or every unit of a site. */
  private Optional<List<String>> unitsRef(ConfigNode e) {
    boolean unit = e.get("unit").isPresent();
    boolean site = e.get("site").isPresent();
    if (unit == site) {
      e.problem(e.path() + " must name either a unit or a site");
      return Optional.empty();
    }
    if (unit) {
      return unitRef(e).map(List::of);
    }
    return ref(e, "site", sites.keySet(), "site").map(s -> sites.get(s).agents().stream()
        .flatMap(a -> a.units().stream()).map(Unit::id).toList());
  }

  private static Optional<String> ref(ConfigNode e, String key, Set<String> known, String what) {
    Optional<ConfigNode> node = e.require(key);
    Optional<String> text = node.flatMap(ConfigNode::text).map(String::trim);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!known.contains(text.get())) {
      node.get().invalid("be a " + what + " of this scenario (" + String.join(", ", known) + ")");
      return Optional.empty();
    }
    return text;
  }

  private Optional<String> agitated(ConfigNode e, String unit) {
    if (!units.get(unit).kind().agitated()) {
      e.get("unit").orElseThrow().invalid("be a unit with an agitator (an incubator)");
      return Optional.empty();
    }
    return Optional.of(unit);
  }

  private Optional<String> glycol(ConfigNode e, String probe) {
    if (probes.get(probe).parameters().type() != ProbeType.GLYCOL) {
      e.get("probe").orElseThrow().invalid("be a glycol probe");
      return Optional.empty();
    }
    return Optional.of(probe);
  }

  // ---- expectations ----

  private List<Expectation> expectations(ConfigNode list, Duration runLength, Set<String> quiet) {
    List<Expectation> out = new ArrayList<>();
    Map<String, Integer> expectedLine = new HashMap<>();
    Map<String, Integer> quietLine = new HashMap<>();
    for (ConfigNode x : list.elements()) {
      if (!x.expectMapping()) {
        continue;
      }
      x.allowOnly(EXPECT_KEYS);
      Optional<String> unit = ref(x, "unit", units.keySet(), "unit");
      if (x.bool("none", false)) {
        if (x.get("kind").isPresent() || x.get("start").isPresent() || x.get("tolerance").isPresent()) {
          x.problem(x.path() + " says none: true, so it must not give kind, start or tolerance");
        }
        unit.ifPresent(u -> {
          quiet.add(u);
          quietLine.put(u, x.line());
        });
        continue;
      }
      Optional<AlarmKind> kind = x.require("kind").flatMap(this::kind);
      Optional<ConfigNode> startNode = x.require("start");
      Duration start = duration(x, "start", Duration.ZERO, Duration.ZERO, MAX_DURATION);
      if (startNode.isPresent() && start.compareTo(runLength) > 0) {
        startNode.get().invalid("be within the run (" + Durations.human(runLength) + ")");
      }
      Duration tolerance = duration(x, "tolerance", DEFAULT_TOLERANCE, Duration.ZERO, Duration.ofDays(1));
      if (unit.isPresent() && kind.isPresent()) {
        Profile p = units.get(unit.get()).effectiveProfile();
        if (!ALWAYS.contains(kind.get()) && p.rule(kind.get()).isEmpty()) {
          x.get("kind").orElseThrow().invalid("be an alarm the profile " + p.id() + " can raise ("
              + String.join(", ", raisable(p)) + ")");
        } else {
          out.add(new Expectation(unit.get(), kind.get(), start, tolerance));
          expectedLine.putIfAbsent(unit.get(), x.line());
        }
      }
    }
    for (Map.Entry<String, Integer> q : quietLine.entrySet()) {
      Integer line = expectedLine.get(q.getKey());
      if (line != null) {
        doc.problem(list, "expect: unit [" + q.getKey() + "] is said to raise nothing (line " + q.getValue()
            + ") but an alarm is expected on line " + line + ".");
      }
    }
    return out;
  }

  private static List<String> raisable(Profile p) {
    List<String> names = new ArrayList<>(p.rules().stream().map(Rule::kind).map(AlarmKind::name).toList());
    ALWAYS.forEach(k -> names.add(k.name()));
    return names;
  }

  private Optional<AlarmKind> kind(ConfigNode n) {
    Optional<String> text = n.text().map(String::trim);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AlarmKind.valueOf(text.get()));
    } catch (IllegalArgumentException e) {
      n.invalid("be an alarm kind such as HIGH_TEMPERATURE ("
          + String.join(", ", Arrays.stream(AlarmKind.values()).map(AlarmKind::name).toList()) + ")");
      return Optional.empty();
    }
  }

  private Set<AlarmKind> kinds(ConfigNode n) {
    Set<AlarmKind> out = EnumSet.noneOf(AlarmKind.class);
    for (ConfigNode k : n.elements()) {
      kind(k).ifPresent(out::add);
    }
    return out;
  }
}
