package org.sangfroid.simulator.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.config.ConfigDocument;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.failure.FailureKind;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.thermal.UnitKind;

/**
 * The simulator's configuration: every key, its unit and its default.
 *
 * <pre>
 * seed: 42                        # random seed; same seed, same readings (default 1)
 * onewireDir: /tmp/sangfroid-w1   # where the w1 sysfs tree is written (required)
 * step: 1s                        # model step in simulated time, 100ms to 1h (default 1s)
 * ambient: 22                     # room temperature, °C, -40 to 60 (default 22)
 * probes:                         # at least one
 *   - rom: 28-0000000000a1        # 28- then 12 lowercase hex digits, unique
 *     kind: fridge                # fridge | freezer | incubator | ult-freezer | cold-room
 *                                 # | transport-box
 *     ambient: 15                 # optional, °C; default: the site's ambient
 *     failure:                    # optional
 *       kind: door-open           # door-open | compressor-stop | probe-disconnect
 *                                 # | crc-error | power-on-reset | empty-read
 *       at: 60s                   # simulated time after the start, 0s to 365d
 *       duration: 10m             # optional, 1s to 365d; absent = until the end
 * </pre>
 *
 * <p>A relative {@code onewireDir} is resolved against the working directory.
 *
 * @param seed seed of every random draw ({@code seed}, default {@value #DEFAULT_SEED})
 * @param onewireDir root of the simulated {@code /sys/bus/w1/devices} ({@code onewireDir}, required)
 * @param step model step in simulated time ({@code step}, default 1 s)
 * @param ambient site room temperature, °C ({@code ambient}, default {@value #DEFAULT_AMBIENT})
 * @param probes the simulated probes, at least one, ROM ids unique
 */
public record SimulatorConfig(long seed, Path onewireDir, Duration step, double ambient, List<ProbeConfig> probes) {

  /** Default {@code seed}. */
  public static final long DEFAULT_SEED = 1;
  /** Default {@code step}: one second of simulated time. */
  public static final Duration DEFAULT_STEP = Duration.ofSeconds(1);
  /** Smallest {@code step}. */
  public static final Duration STEP_MIN = Duration.ofMillis(100);
  /** Largest {@code step}. */
  public static final Duration STEP_MAX = Duration.ofHours(1);
  /** Default {@code ambient}, °C: a blood bank's air-conditioned room. */
  public static final double DEFAULT_AMBIENT = 22.0;
  /** Lowest {@code ambient}, °C. */
  public static final double AMBIENT_MIN = -40.0;
  /** Highest {@code ambient}, °C. */
  public static final double AMBIENT_MAX = 60.0;
  /** Latest {@code failure.at} and longest {@code failure.duration}. */
  public static final Duration FAILURE_MAX = Duration.ofDays(365);

  static final String AMBIENT_RULE = "be a temperature from -40 to 60 °C";
  private static final Set<String> KEYS = Set.of("seed", "onewireDir", "step", "ambient", "probes");
  private static final Set<String> PROBE_KEYS = Set.of("rom", "kind", "ambient", "failure");
  private static final Set<String> FAILURE_KEYS = Set.of("kind", "at", "duration");
  private static final List<String> UNIT_KINDS =
      Arrays.stream(UnitKind.values()).map(UnitKind::configName).toList();
  private static final List<String> FAILURE_KINDS =
      Arrays.stream(FailureKind.values()).map(FailureKind::configName).toList();

  /** Checks the fields; throws {@code InvalidValueException} naming the first bad one. */
  public SimulatorConfig {
    Checks.requireNonNull("onewireDir", onewireDir);
    Checks.requireNonNull("step", step);
    Checks.require(
        step.compareTo(STEP_MIN) >= 0 && step.compareTo(STEP_MAX) <= 0, "step", step, "be from 100ms to 1h");
    Checks.require(
        Double.isFinite(ambient) && ambient >= AMBIENT_MIN && ambient <= AMBIENT_MAX, "ambient", ambient, AMBIENT_RULE);
    probes = List.copyOf(Checks.requireNonNull("probes", probes));
    Checks.require(!probes.isEmpty(), "probes", probes, "list at least one probe");
    Set<RomId> seen = new LinkedHashSet<>();
    for (ProbeConfig p : probes) {
      Checks.require(seen.add(p.rom()), "rom", p.rom(), "be unique");
    }
  }

  /** A configuration with the default seed, step and ambient. */
  public static SimulatorConfig of(Path onewireDir, List<ProbeConfig> probes) {
    return new SimulatorConfig(DEFAULT_SEED, onewireDir, DEFAULT_STEP, DEFAULT_AMBIENT, probes);
  }

  /** A copy with another seed. */
  public SimulatorConfig withSeed(long newSeed) {
    return new SimulatorConfig(newSeed, onewireDir, step, ambient, probes);
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigException listing every problem as {@code file:line: what}, when there is any
   */
  public static SimulatorConfig load(Path file) {
    return read(ConfigDocument.load(file));
  }

  /** Reads and checks {@code text}, naming it {@code name} in messages. */
  public static SimulatorConfig parse(String name, String text) {
    return read(ConfigDocument.parse(name, text));
  }

  private static SimulatorConfig read(ConfigDocument doc) {
    ConfigNode root = doc.root();
    if (!root.expectMapping()) {
      doc.finish();
    }
    root.allowOnly(KEYS);
    long seed = root.get("seed").map(SimulatorConfig::seed).orElse(DEFAULT_SEED);
    Path dir = onewireDir(root);
    Duration step = root.duration("step", DEFAULT_STEP, STEP_MIN, STEP_MAX);
    double ambient = ambient(root, DEFAULT_AMBIENT);
    List<ProbeConfig> probes = probes(doc, root, ambient);
    doc.finish();
    try {
      return new SimulatorConfig(seed, dir, step, ambient, probes);
    } catch (InvalidValueException e) { // a rule the walk above missed: still a config problem
      throw new ConfigException(List.of(doc.name() + ":1: " + e.getMessage()));
    }
  }

  private static long seed(ConfigNode node) {
    String text = node.text().orElse("");
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      node.invalid("be a whole number");
      return DEFAULT_SEED;
    }
  }

  private static Path onewireDir(ConfigNode root) {
    Optional<ConfigNode> node = root.require("onewireDir");
    if (node.isEmpty()) {
      return Path.of(".");
    }
    String text = node.get().text().orElse("").trim();
    try {
      if (!text.isEmpty()) {
        return Path.of(text);
      }
    } catch (InvalidPathException e) {
      // reported below
    }
    node.get().invalid("be a folder path such as /tmp/sangfroid-w1");
    return Path.of(".");
  }

  private static double ambient(ConfigNode parent, double fallback) {
    Optional<Double> value = parent.decimal("ambient");
    if (value.isPresent() && (value.get() < AMBIENT_MIN || value.get() > AMBIENT_MAX)) {
      parent.get("ambient").ifPresent(n -> n.invalid(AMBIENT_RULE));
      return fallback;
    }
    return value.orElse(fallback);
  }

  private static List<ProbeConfig> probes(ConfigDocument doc, ConfigNode root, double siteAmbient) {
    Optional<ConfigNode> list = root.require("probes");
    if (list.isEmpty()) {
      return List.of();
    }
    int problemsBefore = doc.problems().size();
    List<ConfigNode> elements = list.get().elements();
    if (elements.isEmpty() && doc.problems().size() == problemsBefore) {
      list.get().problem("probes must list at least one probe");
    }
    List<ProbeConfig> probes = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (ConfigNode p : elements) {
      if (!p.expectMapping()) {
        continue;
      }
      p.allowOnly(PROBE_KEYS);
      Optional<RomId> rom = rom(p, firstLine);
      Optional<UnitKind> kind = choice(p, "kind", UnitKind::fromConfigName, UNIT_KINDS);
      double ambient = ambient(p, siteAmbient);
      Optional<Failure> failure = p.get("failure").flatMap(SimulatorConfig::failure);
      if (rom.isPresent() && kind.isPresent()) {
        probes.add(new ProbeConfig(rom.get(), kind.get(), ambient, failure));
      }
    }
    return probes;
  }

  private static Optional<RomId> rom(ConfigNode probe, Map<String, Integer> firstLine) {
    Optional<ConfigNode> node = probe.require("rom");
    Optional<String> text = node.flatMap(ConfigNode::text).map(String::trim);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    ConfigNode n = node.get();
    String rom = text.get();
    if (!RomId.isValid(rom)) {
      n.invalid(RomId.RULE);
      return Optional.empty();
    }
    Integer first = firstLine.putIfAbsent(rom, n.line());
    if (first != null) {
      n.problem(Checks.message(n.path(), rom, "be unique", "also on line " + first));
      return Optional.empty();
    }
    return Optional.of(RomId.of(rom));
  }

  private static Optional<Failure> failure(ConfigNode f) {
    if (!f.expectMapping()) {
      return Optional.empty();
    }
    f.allowOnly(FAILURE_KEYS);
    Optional<FailureKind> kind = choice(f, "kind", FailureKind::fromConfigName, FAILURE_KINDS);
    Optional<ConfigNode> atNode = f.require("at");
    Duration at = f.duration("at", Duration.ZERO, Duration.ZERO, FAILURE_MAX);
    Optional<Duration> duration =
        f.get("duration").map(n -> f.duration("duration", Duration.ofSeconds(1), Duration.ofSeconds(1), FAILURE_MAX));
    if (kind.isEmpty() || atNode.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Failure(kind.get(), at, duration));
  }

  private static <T> Optional<T> choice(
      ConfigNode parent, String key, Function<String, Optional<T>> lookup, List<String> names) {
    Optional<ConfigNode> node = parent.require(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> text = node.get().text();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<T> value = lookup.apply(text.get().trim());
    if (value.isEmpty()) {
      node.get().invalid("be one of " + String.join(", ", names));
    }
    return value;
  }
}
