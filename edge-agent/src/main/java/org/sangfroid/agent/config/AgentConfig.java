package org.sangfroid.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.OneWireBus;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigDocument;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.Topics;

/**
 * The edge agent's configuration: one immutable tree, read from YAML by {@link #load(Path)},
 * which reports every problem of the file at once as {@code file:line: what is wrong}.
 *
 * <p>Keys, defaults and limits (this class is their one source):
 *
 * <pre>
 * site: casa-01            required id; not 'gateway' or 'alarms'
 * agent: agent-01          required id
 * tick: 60s                sampling period, 1s to 1h (default 60s)
 * dataDir: /var/lib/...    required; the outbox (outbox.db) lives here
 * broker:
 *   url: tcp://host:1883   required; tcp:// or ssl://
 *   username: agent-01     optional
 *   passwordFile: /etc/... optional, needs username; the password is read from this file at
 *                          each connect and never appears in the config
 * publish:                 optional section
 *   batchSize: 500         readings per MQTT message, 1 to 2000 (default 500)
 *   ackTimeout: 30s        no ack progress for this long: resend everything unacked,
 *                          1s to 1h (default 30s)
 * onewire:
 *   path: /sys/bus/w1/devices   the 1-Wire sysfs folder (default)
 * units:                   at least one; ids unique
 *   - id: rbc-fridge-1
 *     profile: RBC_STORE_EU     one of the default profile ids
 *     sensors:                  at least one per unit; ids unique across all units
 *       - id: 28-0316a2794aff   for ds18b20: '28-' and 12 lowercase hex digits
 *         type: ds18b20         the only type for now
 * </pre>
 */
public record AgentConfig(
    String site,
    String agent,
    Duration tick,
    Path dataDir,
    Broker broker,
    Publish publish,
    OneWire onewire,
    List<Unit> units) {

  public static final Duration DEFAULT_TICK = Duration.ofSeconds(60);
  public static final Duration MIN_TICK = Duration.ofSeconds(1);
  public static final Duration MAX_TICK = Duration.ofHours(1);
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int MAX_BATCH_SIZE = 2000;
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration MIN_ACK_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_ACK_TIMEOUT = Duration.ofHours(1);

  public AgentConfig {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    Checks.requireNonNull("tick", tick);
    Checks.requireNonNull("dataDir", dataDir);
    Checks.requireNonNull("broker", broker);
    Checks.requireNonNull("publish", publish);
    Checks.requireNonNull("onewire", onewire);
    units = List.copyOf(units);
    Checks.require(!units.isEmpty(), "units", units.size(), "hold at least one unit");
  }

  /** The MQTT broker and this agent's credentials. */
  public record Broker(String url, Optional<String> username, Optional<Path> passwordFile) {
    public Broker {
      Checks.requireNonNull("broker.url", url);
      Checks.requireNonNull("broker.username", username);
      Checks.requireNonNull("broker.passwordFile", passwordFile);
    }
  }

  /** How the outbox is drained. */
  public record Publish(int batchSize, Duration ackTimeout) {
    public Publish {
      Checks.require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "publish.batchSize", batchSize,
          "be from 1 to " + MAX_BATCH_SIZE);
      Checks.requireNonNull("publish.ackTimeout", ackTimeout);
    }

    /** The defaults: 500 readings per message, 30 s ack timeout. */
    public static Publish defaults() {
      return new Publish(DEFAULT_BATCH_SIZE, DEFAULT_ACK_TIMEOUT);
    }
  }

  /** Where the kernel lists 1-Wire probes. */
  public record OneWire(Path path) {
    public OneWire {
      Checks.requireNonNull("onewire.path", path);
    }
  }

  /** A fridge, freezer, incubator or transport box, and the probes that watch it. */
  public record Unit(String id, String profile, List<Sensor> sensors) {
    public Unit {
      Checks.requireId("unit", id);
      Checks.require(Profiles.byId(profile).isPresent(), "profile", profile,
          "be one of " + String.join(", ", Profiles.ids()));
      sensors = List.copyOf(sensors);
    }
  }

  /** A probe: its id and its driver. */
  public record Sensor(String id, SensorType type) {
    public Sensor {
      Checks.requireId("sensor", id);
      Checks.requireNonNull("type", type);
    }
  }

  /** The probe drivers this agent knows. */
  public enum SensorType {
    /** DS18B20 on the Linux 1-Wire bus (-55 to +125 °C). */
    DS18B20;

    /** The name used in the config file. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outbox file: {@code {dataDir}/outbox.db}. */
  public Path outboxFile() {
    return dataDir.resolve(Outbox.FILE_NAME);
  }

  /** How many probes the config lists, over all units. */
  public int sensorCount() {
    return units.stream().mapToInt(u -> u.sensors().size()).sum();
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException listing every problem, each {@code file:line: what is wrong}
   */
  public static AgentConfig load(Path file) {
    return read(ConfigDocument.load(file));
  }

  /** Parses {@code text}, naming it {@code name} in messages; see {@link #load(Path)}. */
  public static AgentConfig parse(String name, String text) {
    return read(ConfigDocument.parse(name, text));
  }

  private static AgentConfig read(ConfigDocument doc) {
    ConfigNode root = doc.root();
    if (!root.expectMapping()) {
      doc.finish();
    }
    root.allowOnly(List.of("site", "agent", "tick", "dataDir", "broker", "publish", "onewire", "units"));
    String site = root.id("site");
    if (Topics.RESERVED_SITES.contains(site)) {
      root.get("site").ifPresent(n -> n.invalid(
          "not be " + String.join(" or ", Topics.RESERVED_SITES.stream().sorted().toList())
              + " (reserved for the gateway's topics)"));
    }
    String agent = root.id("agent");
    Duration tick = root.duration("tick", DEFAULT_TICK, MIN_TICK, MAX_TICK);
    Path dataDir = root.require("dataDir").flatMap(AgentConfig::path).orElse(Path.of("."));
    Broker broker = broker(root);
    Publish publish = publish(root);
    OneWire onewire = new OneWire(root.get("onewire")
        .filter(ConfigNode::expectMapping)
        .flatMap(n -> {
          n.allowOnly(List.of("path"));
          return n.get("path").flatMap(AgentConfig::path);
        })
        .orElse(OneWireBus.DEFAULT_PATH));
    List<Unit> units = units(doc, root);
    doc.finish();
    return new AgentConfig(site, agent, tick, dataDir, broker, publish, onewire, units);
  }

  private static Optional<Path> path(ConfigNode node) {
    Optional<String> text = node.text();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().isBlank()) {
      node.invalid("be a folder or file path");
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text.get().strip()));
    } catch (InvalidPathException e) {
      node.invalid("be a valid path, found " + e.getReason());
      return Optional.empty();
    }
  }

  private static Broker broker(ConfigNode root) {
    Optional<ConfigNode> section = root.require("broker").filter(ConfigNode::expectMapping);
    if (section.isEmpty()) {
      return new Broker("", Optional.empty(), Optional.empty());
    }
    ConfigNode b = section.get();
    b.allowOnly(List.of("url", "username", "passwordFile"));
    String url = b.require("url").flatMap(ConfigNode::text).map(String::strip).orElse("");
    b.get("url").ifPresent(n -> {
      if (!brokerUrlValid(n.text().orElse("").strip())) {
        n.invalid("be tcp://HOST:PORT or ssl://HOST:PORT, such as tcp://127.0.0.1:1883");
      }
    });
    Optional<String> username = b.get("username").flatMap(ConfigNode::text).map(String::strip);
    if (username.isPresent() && username.get().isEmpty()) {
      b.get("username").ifPresent(n -> n.invalid("not be empty (leave the key out instead)"));
    }
    Optional<Path> passwordFile = b.get("passwordFile").flatMap(AgentConfig::path);
    b.get("passwordFile").ifPresent(n -> {
      if (username.isEmpty()) {
        n.invalid("come with broker.username (MQTT sends no password without a user name)");
      }
      passwordFile.filter(p -> !Files.isReadable(p)).ifPresent(p ->
          n.invalid("be a readable file holding the broker password"));
    });
    return new Broker(url, username, passwordFile);
  }

  private static boolean brokerUrlValid(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("tcp") || scheme.equals("ssl"))
          && uri.getHost() != null
          && (uri.getPath() == null || uri.getPath().isEmpty())
          && uri.getQuery() == null
          && uri.getUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Publish publish(ConfigNode root) {
    Optional<ConfigNode> section = root.get("publish").filter(ConfigNode::expectMapping);
    if (section.isEmpty()) {
      return Publish.defaults();
    }
    ConfigNode p = section.get();
    p.allowOnly(List.of("batchSize", "ackTimeout"));
    return new Publish(
        p.integer("batchSize", DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE),
        p.duration("ackTimeout", DEFAULT_ACK_TIMEOUT, MIN_ACK_TIMEOUT, MAX_ACK_TIMEOUT));
  }

  private static List<Unit> units(ConfigDocument doc, ConfigNode root) {
    Optional<ConfigNode> list = root.require("units");
    if (list.isEmpty()) {
      return List.of();
    }
    List<ConfigNode> nodes = listOf(doc, list.get(), "unit");
    Map<String, Integer> unitLines = new HashMap<>();
    Map<String, Integer> sensorLines = new HashMap<>();
    List<Unit> units = new ArrayList<>();
    for (ConfigNode u : nodes) {
      if (!u.expectMapping()) {
        continue;
      }
      u.allowOnly(List.of("id", "profile", "sensors"));
      String id = u.id("id");
      u.get("id").ifPresent(n -> unique(n, id, unitLines));
      String profile = u.oneOf("profile", Set.copyOf(Profiles.ids()));
      List<Sensor> sensors = sensors(doc, u, sensorLines);
      if (Checks.isId(id) && Profiles.byId(profile).isPresent()) {
        units.add(new Unit(id, profile, sensors));
      }
    }
    return units;
  }

  private static List<Sensor> sensors(ConfigDocument doc, ConfigNode unit, Map<String, Integer> seen) {
    Optional<ConfigNode> list = unit.require("sensors");
    if (list.isEmpty()) {
      return List.of();
    }
    List<ConfigNode> nodes = listOf(doc, list.get(), "sensor");
    List<Sensor> sensors = new ArrayList<>();
    Set<String> types = Set.of(SensorType.DS18B20.key());
    for (ConfigNode s : nodes) {
      if (!s.expectMapping()) {
        continue;
      }
      s.allowOnly(List.of("id", "type"));
      String id = s.id("id");
      String type = s.oneOf("type", types);
      s.get("id").ifPresent(n -> {
        if (Checks.isId(id) && type.equals(SensorType.DS18B20.key())
            && !Ds18b20Sensor.ROM_ID.matcher(id).matches()) {
          n.invalid(Ds18b20Sensor.ROM_ID_RULE);
        }
        unique(n, id, seen);
      });
      if (Checks.isId(id) && types.contains(type)) {
        sensors.add(new Sensor(id, SensorType.valueOf(type.toUpperCase(Locale.ROOT))));
      }
    }
    return sensors;
  }

  /** The elements of a list that must not be empty; records one problem when it is not a list or empty. */
  private static List<ConfigNode> listOf(ConfigDocument doc, ConfigNode node, String what) {
    int before = doc.problems().size();
    List<ConfigNode> nodes = node.elements();
    if (nodes.isEmpty() && doc.problems().size() == before) {
      node.problem(node.path() + " must list at least one " + what);
    }
    return nodes;
  }

  private static void unique(ConfigNode node, String id, Map<String, Integer> seen) {
    if (id.isEmpty()) {
      return;
    }
    Integer first = seen.putIfAbsent(id, node.line());
    if (first != null) {
      node.problem(Checks.message(node.path(), id, "be unique", "also on line " + first));
    }
  }
}
