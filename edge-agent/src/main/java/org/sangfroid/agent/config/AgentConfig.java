package org.sangfroid.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.calibration.CalibrationConfig;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.OneWireBus;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.coap.CoapNode;
import org.sangfroid.agent.sensor.coap.Psk;
import org.sangfroid.agent.sensor.max31865.Max31865Sensor;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.tls.BrokerTls;
import org.sangfroid.agent.tls.Pem;
import org.sangfroid.agent.tls.TlsFileException;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigDocument;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Profile;
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
 *                          each connect and never appears in the config; the file must not be
 *                          readable by every user of the device (mode 0640 or 0600)
 *   tls:                   optional, ssl:// only (see BrokerTls); PEM files, read again at each
 *                          connect so renewed certificates need no restart
 *     caFile: /etc/...     the CA certificate(s) that signed the broker's; only these are trusted
 *                          (default: the system's trusted CAs)
 *     certFile: /etc/...   this agent's client certificate, when the broker wants one; with keyFile
 *     keyFile: /etc/...    its private key (PKCS#8, PKCS#1 or SEC1, no passphrase); not readable
 *                          by every user of the device
 * publish:                 optional section
 *   batchSize: 500         readings per MQTT message, 1 to 2000 (default 500)
 *   ackTimeout: 30s        no ack progress for this long: resend everything unacked,
 *                          1s to 1h (default 30s)
 * outbox:                  optional section
 *   maxReadings: 350000    readings the outbox holds at most, 1000 to 50000000 (default
 *                          350000: 30 days of 8 probes at one reading a minute). About 75
 *                          bytes of SD card per reading (measured: 26 MB at the default,
 *                          3.7 GB at the maximum); leave as much again free for the
 *                          write-ahead log. A count, not bytes: it is what the drop order and
 *                          the status speak in, and it is exact and testable. When
 *                          full, the oldest in-range readings are dropped first, readings of
 *                          excursion periods last, and the drop is counted and logged.
 * onewire:
 *   path: /sys/bus/w1/devices   the 1-Wire sysfs folder (default)
 * units:                   at least one; ids unique
 *   - id: rbc-fridge-1
 *     profile: RBC_STORE_EU     one of the default profile ids
 *     sensors:                  at least one per unit; ids unique across all units
 *       - id: 28-0316a2794aff   for ds18b20: '28-' and 12 lowercase hex digits; other types:
 *                               any id (letters, digits, '.', '_', '-')
 *         type: ds18b20         ds18b20, max31865, sht3x, sht4x or coap
 *       - id: ult-1-pt100
 *         type: max31865        PT100/PT1000 through a MAX31865 on SPI
 *         spi:
 *           bus: 0              0 to 6 (default 0): /dev/spidev{bus}.{chipSelect}
 *           chipSelect: 0       0 to 2 (default 0); one probe per bus and chip select
 *         wires: 3              2, 3 or 4 (default 3): as the board's jumpers are set
 *         r0: 100               100 (PT100) or 1000 (PT1000), ohms at 0 °C (default 100)
 *         rRef: 430             reference resistor in ohms, 2 to 10 × r0
 *                               (default 430 for r0 100, 4300 for r0 1000)
 *         mainsHz: 50           50 or 60 (default 50): the mains frequency to filter out
 *       - id: room-sht
 *         type: sht4x           sht3x or sht4x, on I2C
 *         i2c:
 *           bus: 1              0 to 99 (default 1): /dev/i2c-{bus}
 *         address: 0x44         sht3x: 0x44 or 0x45; sht4x: 0x44, 0x45 or 0x46 (default 0x44);
 *                               one probe per bus and address
 *       - id: incubator-node-1
 *         type: coap            a wireless node, observed over CoAP (see CoapSensor)
 *         uri: coaps://192.0.2.21/3303/0/5700
 *                               required; coap:// or coaps:// (DTLS), the node's IPSO
 *                               temperature; one probe per uri
 *         silentAfter: 3m       nothing valid from the node for longer: the probe reads
 *                               disconnected; 2s to 1h (default 3 ticks)
 *         psk:                  required for coaps://, not allowed for coap://
 *           identity: node-1    the pre-shared key's identity, as set in the node
 *           keyFile: /etc/...   the key in hexadecimal (16 to 64 bytes), in its own file
 *                               readable by the agent; never in this file
 *         calibration:          optional, any type: the probe's calibration certificate
 *           certificate: LAB-2026-0142   required; its id, 1 to 64 characters
 *           date: 2026-03-01    required; the day of the calibration (YYYY-MM-DD)
 *           due: 2027-03-01     required, after date; overdue from 00:00 UTC that day
 *           offset: -0.12       °C added to every valid reading, -5 to 5; or, instead:
 *           points:             two points: what the probe read (raw) where the reference
 *             - {raw: 0.10, reference: 0.00}       thermometer read reference, °C; the
 *             - {raw: 99.80, reference: 100.00}    line through them corrects every
 *                               reading (each within 5 °C of its raw, slope 0.9 to 1.1).
 *                               Readings carry the corrected value and the raw one.
 *     inputs:                   optional; the unit's digital inputs on GPIO, each optional
 *       door:                   a door contact (reed switch): active = the door is OPEN
 *         pin: 5                required; BCM GPIO number 0 to 27, each pin used once in the
 *                               file (inputs, localAlarm) and not a pin of a bus in use
 *                               (GPIO4: 1-Wire; GPIO2, 3: I2C bus 1; GPIO7 to 11: SPI bus 0)
 *         activeWhen: high      required; high or low: the level the pin reads while the door
 *                               is open (power: while the mains is OFF; agitator: while it is
 *                               STOPPED)
 *         pull: up              up, down or off (default up): the resistor the pin needs (see
 *                               InputPin; sysfs GPIO cannot set it: config.txt does)
 *         debounce: 200ms       a new level counts once it held this long, 50ms to 60s
 *                               (default 200ms); its time is when it began
 *       power:                  a mains-power sense line: active = the mains is OFF
 *         pin: 6
 *         activeWhen: low
 *       agitator:               a platelet agitator's motion output: active = STOPPED
 *         pin: 13
 *         activeWhen: high
 * localAlarm:              optional section; absent: alarms on the console (log) only
 *   buzzerPin: 17          BCM GPIO number 0 to 27 of the buzzer (driven HIGH to sound)
 *   ledPin: 27             BCM GPIO number 0 to 27 of the alarm LED (HIGH = lit); at least one
 *                          of buzzerPin and ledPin is required, pins all different
 *   mutePin: 22            optional; BCM GPIO number 0 to 27 of a push button wired from the pin
 *                          to GND (active low, pulled up: see LocalAlarm)
 *   mute: 30m              how long the button silences the buzzer, 1m to 4h (default 30m)
 * clock:                   optional section
 *   sync: auto             how the agent learns that the system clock is right (until then
 *                          readings are flagged, and corrected once it is): auto (default:
 *                          timesyncd, else timedatectl), timesyncd (systemd-timesyncd's
 *                          /run/systemd/timesync/synchronized, as on Raspberry Pi OS),
 *                          timedatectl (asks systemd whether NTP synchronised the kernel clock;
 *                          chrony, ntpd), or always (a device that keeps time itself). A clock
 *                          before the agent's build date is never taken as right.
 * metrics:                 optional section; absent: no local endpoint, and 'status' cannot ask
 *   bind: 127.0.0.1        the address to listen on, an IP address of this device (default
 *                          127.0.0.1: this device only; 0.0.0.0 for a Prometheus server elsewhere)
 *   port: 9101             1024 to 65535 (default 9101); serves /metrics (Prometheus) and /status
 * </pre>
 */
public record AgentConfig(
    String site,
    String agent,
    Duration tick,
    Path dataDir,
    Broker broker,
    Publish publish,
    OutboxSettings outbox,
    OneWire onewire,
    List<Unit> units,
    LocalAlarm localAlarm,
    ClockSettings clock,
    Optional<Metrics> metrics) {

  public static final Duration DEFAULT_TICK = Duration.ofSeconds(60);
  public static final Duration MIN_TICK = Duration.ofSeconds(1);
  public static final Duration MAX_TICK = Duration.ofHours(1);
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int MAX_BATCH_SIZE = 2000;
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration MIN_ACK_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_ACK_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_MUTE = Duration.ofMinutes(30);
  public static final Duration MIN_MUTE = Duration.ofMinutes(1);
  public static final Duration MAX_MUTE = Duration.ofHours(4);
  /** The highest BCM GPIO number on the Raspberry Pi header. */
  public static final int MAX_BCM_PIN = 27;
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
  public static final Duration MIN_DEBOUNCE = Duration.ofMillis(50);
  public static final Duration MAX_DEBOUNCE = Duration.ofSeconds(60);

  public AgentConfig {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    Checks.requireNonNull("tick", tick);
    Checks.requireNonNull("dataDir", dataDir);
    Checks.requireNonNull("broker", broker);
    Checks.requireNonNull("publish", publish);
    Checks.requireNonNull("outbox", outbox);
    Checks.requireNonNull("onewire", onewire);
    units = List.copyOf(units);
    Checks.require(!units.isEmpty(), "units", units.size(), "hold at least one unit");
    Checks.requireNonNull("localAlarm", localAlarm);
    Checks.requireNonNull("clock", clock);
    Checks.requireNonNull("metrics", metrics);
  }

  /** A configuration without the {@code clock} (auto) and {@code metrics} (no local endpoint) sections. */
  public AgentConfig(String site, String agent, Duration tick, Path dataDir, Broker broker, Publish publish,
      OutboxSettings outbox, OneWire onewire, List<Unit> units, LocalAlarm localAlarm) {
    this(site, agent, tick, dataDir, broker, publish, outbox, onewire, units, localAlarm, ClockSettings.defaults(),
        Optional.empty());
  }

  /** A configuration without the {@code metrics} section (no local endpoint). */
  public AgentConfig(String site, String agent, Duration tick, Path dataDir, Broker broker, Publish publish,
      OutboxSettings outbox, OneWire onewire, List<Unit> units, LocalAlarm localAlarm, ClockSettings clock) {
    this(site, agent, tick, dataDir, broker, publish, outbox, onewire, units, localAlarm, clock, Optional.empty());
  }

  /** A configuration without the {@code clock} section (auto). */
  public AgentConfig(String site, String agent, Duration tick, Path dataDir, Broker broker, Publish publish,
      OutboxSettings outbox, OneWire onewire, List<Unit> units, LocalAlarm localAlarm, Optional<Metrics> metrics) {
    this(site, agent, tick, dataDir, broker, publish, outbox, onewire, units, localAlarm, ClockSettings.defaults(),
        metrics);
  }

  /** How the agent decides that the system clock is synchronised. */
  public enum ClockSync {
    /** systemd-timesyncd's flag file, else timedatectl. */
    AUTO,
    /** systemd-timesyncd's flag file (Raspberry Pi OS). */
    TIMESYNCD,
    /** {@code timedatectl show --property=NTPSynchronized} (chrony, ntpd). */
    TIMEDATECTL,
    /** Always: the device keeps time itself. */
    ALWAYS;

    /** The name used in the config file. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The {@code clock} section. */
  public record ClockSettings(ClockSync sync) {
    public ClockSettings {
      Checks.requireNonNull("clock.sync", sync);
    }

    /** The default: auto. */
    public static ClockSettings defaults() {
      return new ClockSettings(ClockSync.AUTO);
    }
  }

  /**
   * The local HTTP endpoint for Prometheus ({@code /metrics}) and {@code status}
   * ({@code /status}).
   *
   * @param bind an IP address of this device, as written ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1})
   * @param port {@link #MIN_METRICS_PORT} to 65535
   */
  public record Metrics(String bind, int port) {
    public Metrics {
      Checks.require(ipLiteral(bind), "metrics.bind", bind, METRICS_BIND_RULE);
      Checks.require(port >= MIN_METRICS_PORT && port <= 65535, "metrics.port", port,
          "be from " + MIN_METRICS_PORT + " to 65535");
    }

    /** The defaults: 127.0.0.1:9101. */
    public static Metrics defaults() {
      return new Metrics(DEFAULT_METRICS_BIND, DEFAULT_METRICS_PORT);
    }

    /** The socket address to listen on. */
    public InetSocketAddress address() {
      return new InetSocketAddress(literal(bind), port);
    }

    /**
     * Where a client on this device reaches the endpoint: {@code http://127.0.0.1:PORT} when it
     * listens on every address.
     */
    public URI localUrl() {
      InetAddress a = literal(bind);
      String host = a.isAnyLocalAddress() ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
      return URI.create("http://" + host + ":" + port);
    }

    private static InetAddress literal(String ip) {
      try {
        return InetAddress.getByName(ip);  // a literal: no name lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(Checks.message("metrics.bind", ip, METRICS_BIND_RULE), e);
      }
    }
  }

  public static final String DEFAULT_METRICS_BIND = "127.0.0.1";
  public static final int DEFAULT_METRICS_PORT = 9101;
  /** Below 1024 needs root; the service runs as 'sangfroid'. */
  public static final int MIN_METRICS_PORT = 1024;
  static final String METRICS_BIND_RULE = "be an IP address of this device, such as 127.0.0.1 (this device only)"
      + " or 0.0.0.0 (every network)";

  /** True for an IPv4 or IPv6 address written as numbers, which needs no name lookup. */
  static boolean ipLiteral(String text) {
    if (text == null) {
      return false;
    }
    boolean v4 = text.matches("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return false;
    }
    try {
      InetAddress.getByName(text);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A configuration without the {@code localAlarm} section (console alarms only). */
  public AgentConfig(String site, String agent, Duration tick, Path dataDir, Broker broker, Publish publish,
      OutboxSettings outbox, OneWire onewire, List<Unit> units) {
    this(site, agent, tick, dataDir, broker, publish, outbox, onewire, units, LocalAlarm.none());
  }

  /**
   * The on-site alarm outputs. The buzzer and LED pins are driven HIGH while a unit has an
   * alarm-severity condition (warnings only reach the console). The mute button connects its pin
   * to GND when pressed: the pin is configured with the SoC's pull-up and a 50 ms debounce (Pi4J
   * sysfs GPIO cannot set the pull-up itself: add {@code gpio=22=ip,pu} to config.txt or a 10 kΩ
   * resistor to 3.3 V).
   *
   * @param buzzerPin BCM number of the buzzer output, if any
   * @param ledPin BCM number of the LED output, if any
   * @param mutePin BCM number of the mute button input, if any
   * @param mute how long a press silences the buzzer ({@link #MIN_MUTE} to {@link #MAX_MUTE})
   */
  public record LocalAlarm(OptionalInt buzzerPin, OptionalInt ledPin, OptionalInt mutePin, Duration mute) {
    public LocalAlarm {
      Checks.requireNonNull("localAlarm.buzzerPin", buzzerPin);
      Checks.requireNonNull("localAlarm.ledPin", ledPin);
      Checks.requireNonNull("localAlarm.mutePin", mutePin);
      Checks.requireNonNull("localAlarm.mute", mute);
      Checks.require(mute.compareTo(MIN_MUTE) >= 0 && mute.compareTo(MAX_MUTE) <= 0, "localAlarm.mute", mute,
          "be from " + MIN_MUTE + " to " + MAX_MUTE);
      Checks.require(mutePin.isEmpty() || buzzerPin.isPresent() || ledPin.isPresent(), "localAlarm.mutePin",
          mutePin, "come with a buzzerPin or ledPin");
    }

    /** No GPIO: alarms go to the console only. */
    public static LocalAlarm none() {
      return new LocalAlarm(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), DEFAULT_MUTE);
    }

    /** True when a pin is configured, so the agent must open Pi4J's GPIO. */
    public boolean usesGpio() {
      return buzzerPin.isPresent() || ledPin.isPresent() || mutePin.isPresent();
    }
  }

  /**
   * The MQTT broker and this agent's credentials.
   *
   * @param tls the TLS files of an {@code ssl://} broker; empty: the JVM's defaults (the system's
   *     CAs, and a client key store only if the JVM is given one)
   */
  public record Broker(String url, Optional<String> username, Optional<Path> passwordFile,
      Optional<BrokerTls> tls) {
    public Broker {
      Checks.requireNonNull("broker.url", url);
      Checks.requireNonNull("broker.username", username);
      Checks.requireNonNull("broker.passwordFile", passwordFile);
      Checks.requireNonNull("broker.tls", tls);
    }

    /** A broker without TLS files. */
    public Broker(String url, Optional<String> username, Optional<Path> passwordFile) {
      this(url, username, passwordFile, Optional.empty());
    }

    /** True for an {@code ssl://} broker. */
    public boolean secure() {
      return url.toLowerCase(Locale.ROOT).startsWith("ssl://");
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

  /** A configuration with the default outbox bound. */
  public AgentConfig(String site, String agent, Duration tick, Path dataDir, Broker broker, Publish publish,
      OneWire onewire, List<Unit> units) {
    this(site, agent, tick, dataDir, broker, publish, OutboxSettings.defaults(), onewire, units,
        LocalAlarm.none());
  }

  /**
   * How much the outbox holds.
   *
   * @param maxReadings rows at most, {@link Outbox#MIN_MAX_READINGS} to {@link Outbox#MAX_MAX_READINGS}
   */
  public record OutboxSettings(long maxReadings) {
    public OutboxSettings {
      Checks.require(maxReadings >= Outbox.MIN_MAX_READINGS && maxReadings <= Outbox.MAX_MAX_READINGS,
          "outbox.maxReadings", maxReadings, "be from " + Outbox.MIN_MAX_READINGS + " to " + Outbox.MAX_MAX_READINGS);
    }

    /** The default: {@link Outbox#DEFAULT_MAX_READINGS}. */
    public static OutboxSettings defaults() {
      return new OutboxSettings(Outbox.DEFAULT_MAX_READINGS);
    }
  }

  /** Each unit's profile, by unit id. */
  public Map<String, Profile> profiles() {
    Map<String, Profile> out = new HashMap<>();
    for (Unit u : units) {
      out.put(u.id(), Profiles.byId(u.profile()).orElseThrow());
    }
    return out;
  }

  /** Where the kernel lists 1-Wire probes. */
  public record OneWire(Path path) {
    public OneWire {
      Checks.requireNonNull("onewire.path", path);
    }
  }

  /**
   * A fridge, freezer, incubator or transport box, the probes that watch it and its digital
   * inputs (door, mains power, agitator; at most one of each).
   */
  public record Unit(String id, String profile, List<Sensor> sensors, List<InputPin> inputs) {
    public Unit {
      Checks.requireId("unit", id);
      Checks.require(Profiles.byId(profile).isPresent(), "profile", profile,
          "be one of " + String.join(", ", Profiles.ids()));
      sensors = List.copyOf(sensors);
      inputs = List.copyOf(inputs);
      Checks.require(inputs.stream().map(InputPin::input).distinct().count() == inputs.size(), "unit " + id
          + ".inputs", inputs, "hold at most one door, one power and one agitator input");
    }

    /** A unit without digital inputs. */
    public Unit(String id, String profile, List<Sensor> sensors) {
      this(id, profile, sensors, List.of());
    }
  }

  /** The level of a GPIO pin. */
  public enum Level {
    HIGH,
    LOW
  }

  /** The pin's pull resistor, as the wiring needs it. */
  public enum Pull {
    /** To 3.3 V: a switch or open collector pulls the pin to GND (reed contact, opto-isolator). */
    UP,
    /** To GND: a switch connects the pin to 3.3 V. */
    DOWN,
    /** None: the pin is driven both ways (a voltage divider from a 5 V supply). */
    OFF
  }

  /**
   * A digital input of a unit on a GPIO pin, read by the agent every few milliseconds and
   * debounced: a new level counts once it has held for {@code debounce}, and the change is dated
   * when it began. Pi4J's sysfs GPIO cannot set the pull resistor: set it in
   * {@code /boot/firmware/config.txt} ({@code gpio=5=ip,pu} for up, {@code pd} for down,
   * {@code pn} for off) or fit a 10 kΩ resistor.
   *
   * @param input what the input says when active: door open, power lost, agitator stopped
   * @param pin BCM GPIO number, 0 to {@link #MAX_BCM_PIN}
   * @param activeWhen the level the pin reads while the input is active
   * @param pull the pull resistor the wiring needs
   * @param debounce how long a new level must hold, {@link #MIN_DEBOUNCE} to {@link #MAX_DEBOUNCE}
   */
  public record InputPin(InputChange.Input input, int pin, Level activeWhen, Pull pull, Duration debounce) {
    public InputPin {
      Checks.requireNonNull("input", input);
      Checks.require(pin >= 0 && pin <= MAX_BCM_PIN, "pin", pin, "be a BCM GPIO number from 0 to " + MAX_BCM_PIN);
      Checks.requireNonNull("activeWhen", activeWhen);
      Checks.requireNonNull("pull", pull);
      Checks.require(debounce.compareTo(MIN_DEBOUNCE) >= 0 && debounce.compareTo(MAX_DEBOUNCE) <= 0, "debounce",
          debounce, "be from " + MIN_DEBOUNCE.toMillis() + " ms to " + MAX_DEBOUNCE.toSeconds() + " s");
    }

    /** The key of this input in the file: {@code door}, {@code power} or {@code agitator}. */
    public String key() {
      return inputKey(input);
    }

    /** True when {@code high} (the pin's level) means the input is active. */
    public boolean activeAt(boolean high) {
      return high == (activeWhen == Level.HIGH);
    }
  }

  /** The config key of {@code input}. */
  public static String inputKey(InputChange.Input input) {
    return switch (input) {
      case DOOR_OPEN -> "door";
      case POWER_LOST -> "power";
      case AGITATOR_STOPPED -> "agitator";
    };
  }

  /** True when a unit has a digital input, so the agent must open Pi4J's GPIO for it. */
  public boolean usesInputs() {
    return units.stream().anyMatch(u -> !u.inputs().isEmpty());
  }

  /** A probe: its id, the driver that reads it, and its calibration if it has one. */
  public record Sensor(String id, Driver driver, Optional<Calibration> calibration) {
    public Sensor {
      Checks.requireId("sensor", id);
      Checks.requireNonNull("driver", driver);
      Checks.requireNonNull("calibration", calibration);
      if (driver instanceof Ds18b20) {
        Checks.require(Ds18b20Sensor.ROM_ID.matcher(id).matches(), "sensor", id, Ds18b20Sensor.ROM_ID_RULE);
      }
    }

    /** A probe without a calibration. */
    public Sensor(String id, Driver driver) {
      this(id, driver, Optional.empty());
    }

    /** The driver's type, as written in the file. */
    public SensorType type() {
      return driver.type();
    }
  }

  /** How a probe is reached, with the settings of its driver. */
  public sealed interface Driver permits Ds18b20, Max31865, Sht, Coap {
    /** The type written in the file. */
    SensorType type();

    /** True for probes on SPI or I2C, which need Pi4J. */
    default boolean onPi4j() {
      return this instanceof Max31865 || this instanceof Sht;
    }
  }

  /** A wireless node reached over CoAP. */
  public record Coap(CoapNode node) implements Driver {
    public Coap {
      Checks.requireNonNull("node", node);
    }

    @Override
    public SensorType type() {
      return SensorType.COAP;
    }
  }

  /** A DS18B20 on the 1-Wire bus; its id is its ROM id. */
  public record Ds18b20() implements Driver {
    @Override
    public SensorType type() {
      return SensorType.DS18B20;
    }
  }

  /** A PT100/PT1000 through a MAX31865 at {@code spi}. */
  public record Max31865(SpiDevice spi, Max31865Sensor.Settings settings) implements Driver {
    public Max31865 {
      Checks.requireNonNull("spi", spi);
      Checks.requireNonNull("settings", settings);
    }

    @Override
    public SensorType type() {
      return SensorType.MAX31865;
    }
  }

  /** An SHT3x or SHT4x at {@code i2c}. */
  public record Sht(ShtSensor.Model model, I2cDevice i2c) implements Driver {
    public Sht {
      Checks.requireNonNull("model", model);
      Checks.requireNonNull("i2c", i2c);
      Checks.require(model.addresses().contains(i2c.address()), "address", I2cDevice.hex(i2c.address()),
          addressRule(model));
    }

    @Override
    public SensorType type() {
      return model == ShtSensor.Model.SHT3X ? SensorType.SHT3X : SensorType.SHT4X;
    }
  }

  /** The probe drivers this agent knows. */
  public enum SensorType {
    /** DS18B20 on the Linux 1-Wire bus (-55 to +125 °C). */
    DS18B20,
    /** PT100/PT1000 through a MAX31865 on SPI (-200 to +850 °C as the probe allows). */
    MAX31865,
    /** Sensirion SHT3x on I2C (-40 to +125 °C). */
    SHT3X,
    /** Sensirion SHT4x on I2C (-40 to +125 °C). */
    SHT4X,
    /** A wireless node serving an IPSO temperature over CoAP, with SenML JSON. */
    COAP;

    /** The name used in the config file. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SensorType> fromKey(String key) {
      for (SensorType t : values()) {
        if (t.key().equals(key)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  private static String addressRule(ShtSensor.Model model) {
    return model == ShtSensor.Model.SHT3X
        ? "be 0x44 or 0x45 for an SHT3x (its ADDR pin low or high)"
        : "be 0x44, 0x45 or 0x46 for an SHT4x (fixed by the part number)";
  }

  /** The outbox file: {@code {dataDir}/outbox.db}. */
  public Path outboxFile() {
    return dataDir.resolve(Outbox.FILE_NAME);
  }

  /** How many probes the config lists, over all units. */
  public int sensorCount() {
    return units.stream().mapToInt(u -> u.sensors().size()).sum();
  }

  /** True when a probe sits on SPI or I2C, so the agent must open Pi4J. */
  public boolean needsPi4j() {
    return units.stream().flatMap(u -> u.sensors().stream()).anyMatch(s -> s.driver().onPi4j());
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
    root.allowOnly(List.of("site", "agent", "tick", "dataDir", "broker", "publish", "outbox", "onewire", "units",
        "localAlarm", "clock", "metrics"));
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
    OutboxSettings outbox = root.get("outbox")
        .filter(ConfigNode::expectMapping)
        .map(n -> {
          n.allowOnly(List.of("maxReadings"));
          return new OutboxSettings(n.integer("maxReadings", (int) Outbox.DEFAULT_MAX_READINGS,
              (int) Outbox.MIN_MAX_READINGS, (int) Outbox.MAX_MAX_READINGS));
        })
        .orElse(OutboxSettings.defaults());
    OneWire onewire = new OneWire(root.get("onewire")
        .filter(ConfigNode::expectMapping)
        .flatMap(n -> {
          n.allowOnly(List.of("path"));
          return n.get("path").flatMap(AgentConfig::path);
        })
        .orElse(OneWireBus.DEFAULT_PATH));
    InputPins inputPins = new InputPins();
    List<Unit> units = units(doc, root, tick, inputPins);
    LocalAlarm localAlarm = localAlarm(root);
    inputPins.checkAgainst(root, units);
    ClockSettings clock = clock(root);
    Optional<Metrics> metrics = root.get("metrics").filter(ConfigNode::expectMapping).flatMap(AgentConfig::metrics);
    doc.finish();
    return new AgentConfig(site, agent, tick, dataDir, broker, publish, outbox, onewire, units, localAlarm, clock,
        metrics);
  }

  private static ClockSettings clock(ConfigNode root) {
    Optional<ConfigNode> section = root.get("clock").filter(ConfigNode::expectMapping);
    if (section.isEmpty()) {
      return ClockSettings.defaults();
    }
    section.get().allowOnly(List.of("sync"));
    if (section.get().get("sync").isEmpty()) {
      return ClockSettings.defaults();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (ClockSync c : ClockSync.values()) {
      keys.add(c.key());
    }
    String sync = section.get().oneOf("sync", keys);
    return keys.contains(sync) ? new ClockSettings(ClockSync.valueOf(sync.toUpperCase(Locale.ROOT)))
        : ClockSettings.defaults();
  }

  /** The {@code metrics} section; empty (with problems recorded) if a value is invalid. */
  private static Optional<Metrics> metrics(ConfigNode n) {
    n.allowOnly(List.of("bind", "port"));
    String bind = n.get("bind").flatMap(ConfigNode::text).map(String::strip).orElse(DEFAULT_METRICS_BIND);
    boolean bindOk = ipLiteral(bind);
    if (!bindOk) {
      n.get("bind").ifPresent(b -> b.invalid(METRICS_BIND_RULE));
    }
    // -1: integer() recorded the problem (absent: the default).
    int port = n.get("port").isEmpty() ? DEFAULT_METRICS_PORT : n.integer("port", -1, MIN_METRICS_PORT, 65535);
    return bindOk && port > 0 ? Optional.of(new Metrics(bind, port)) : Optional.empty();
  }

  private static LocalAlarm localAlarm(ConfigNode root) {
    Optional<ConfigNode> section = root.get("localAlarm").filter(ConfigNode::expectMapping);
    if (section.isEmpty()) {
      return LocalAlarm.none();
    }
    ConfigNode n = section.get();
    n.allowOnly(List.of("buzzerPin", "ledPin", "mutePin", "mute"));
    Map<Integer, Integer> lines = new HashMap<>();
    OptionalInt buzzer = pin(n, "buzzerPin", lines);
    OptionalInt led = pin(n, "ledPin", lines);
    OptionalInt mute = pin(n, "mutePin", lines);
    Duration muteFor = n.duration("mute", DEFAULT_MUTE, MIN_MUTE, MAX_MUTE);
    if (n.get("buzzerPin").isEmpty() && n.get("ledPin").isEmpty()) {
      n.problem(n.path() + " must set buzzerPin or ledPin (or leave the section out for console alarms only).");
      return LocalAlarm.none();
    }
    if (buzzer.isEmpty() && led.isEmpty()) {
      return LocalAlarm.none(); // the invalid pins are reported
    }
    return new LocalAlarm(buzzer, led, mute, muteFor);
  }

  /** An optional BCM pin number, each pin used once in the section. */
  private static OptionalInt pin(ConfigNode section, String key, Map<Integer, Integer> lines) {
    Optional<ConfigNode> node = section.get(key);
    if (node.isEmpty()) {
      return OptionalInt.empty();
    }
    int before = section.integer(key, -1, 0, MAX_BCM_PIN);
    if (before < 0) {
      return OptionalInt.empty();
    }
    Integer first = lines.putIfAbsent(before, node.get().line());
    if (first != null) {
      node.get().problem(Checks.message(node.get().path(), before, "be used once", "also on line " + first));
      return OptionalInt.empty();
    }
    return OptionalInt.of(before);
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
    b.allowOnly(List.of("url", "username", "passwordFile", "tls"));
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
      passwordFile.flatMap(SecretFile::problem).ifPresent(n::invalid);
    });
    Optional<BrokerTls> tls = b.get("tls").filter(ConfigNode::expectMapping).flatMap(n -> tls(n, url));
    return new Broker(url, username, passwordFile, tls);
  }

  /** The {@code broker.tls} section; empty (with problems recorded) if any file cannot be used. */
  private static Optional<BrokerTls> tls(ConfigNode n, String url) {
    n.allowOnly(List.of("caFile", "certFile", "keyFile"));
    if (!url.toLowerCase(Locale.ROOT).startsWith("ssl://")) {
      if (brokerUrlValid(url)) {
        n.problem(n.path() + " is only for an ssl:// broker; broker.url is " + url);
      }
      return Optional.empty();
    }
    Optional<ConfigNode> caNode = n.get("caFile");
    Optional<ConfigNode> certNode = n.get("certFile");
    Optional<ConfigNode> keyNode = n.get("keyFile");
    Optional<Path> ca = caNode.flatMap(AgentConfig::path);
    Optional<Path> cert = certNode.flatMap(AgentConfig::path);
    Optional<Path> key = keyNode.flatMap(AgentConfig::path);
    boolean ok = caNode.isPresent() == ca.isPresent() && certNode.isPresent() == cert.isPresent()
        && keyNode.isPresent() == key.isPresent();
    if (certNode.isPresent() != keyNode.isPresent()) {
      ConfigNode at = certNode.or(() -> keyNode).orElseThrow();
      at.problem(n.path() + (certNode.isPresent()
          ? ".certFile needs " + n.path() + ".keyFile (the client certificate's private key)"
          : ".keyFile needs " + n.path() + ".certFile (the client certificate it belongs to)"));
      ok = false;
    }
    ok &= tlsFile(caNode, ca, f -> Pem.certificates(BrokerTls.CA_KEY, f));
    boolean certOk = tlsFile(certNode, cert, f -> Pem.certificates(BrokerTls.CERT_KEY, f));
    Optional<String> exposed = key.flatMap(SecretFile::problem);
    exposed.ifPresent(problem -> keyNode.get().invalid(problem));
    boolean keyOk = exposed.isEmpty() && tlsFile(keyNode, key, f -> Pem.privateKey(BrokerTls.KEY_KEY, f));
    if (certOk && keyOk && cert.isPresent() && key.isPresent()) {
      // The key must belong to the certificate, or the broker refuses the handshake.
      keyOk = tlsFile(keyNode, key, f -> BrokerTls.checkPair(cert.get(), f));
    }
    return ok && certOk && keyOk ? Optional.of(new BrokerTls(ca, cert, key)) : Optional.empty();
  }

  /** Reads a TLS file now, so a bad one is a config error with its line, not a failed connect. */
  private static boolean tlsFile(Optional<ConfigNode> node, Optional<Path> file, Consumer<Path> read) {
    if (file.isEmpty()) {
      return true;
    }
    try {
      read.accept(file.get());
      return true;
    } catch (TlsFileException e) {
      node.orElseThrow().invalid(e.rule());
      return false;
    }
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

  private static List<Unit> units(ConfigDocument doc, ConfigNode root, Duration tick, InputPins inputPins) {
    Optional<ConfigNode> list = root.require("units");
    if (list.isEmpty()) {
      return List.of();
    }
    List<ConfigNode> nodes = listOf(doc, list.get(), "unit");
    Map<String, Integer> unitLines = new HashMap<>();
    Seen seen = new Seen();
    List<Unit> units = new ArrayList<>();
    for (ConfigNode u : nodes) {
      if (!u.expectMapping()) {
        continue;
      }
      u.allowOnly(List.of("id", "profile", "sensors", "inputs"));
      String id = u.id("id");
      u.get("id").ifPresent(n -> unique(n, id, unitLines));
      String profile = u.oneOf("profile", Set.copyOf(Profiles.ids()));
      List<Sensor> sensors = sensors(doc, u, seen, tick);
      List<InputPin> inputs = u.get("inputs").filter(ConfigNode::expectMapping)
          .map(n -> inputPins.read(n)).orElse(List.of());
      if (Checks.isId(id) && Profiles.byId(profile).isPresent()) {
        units.add(new Unit(id, profile, sensors, inputs));
      }
    }
    return units;
  }

  /**
   * The digital inputs of every unit, read section by section, then checked once the whole file
   * is read: each pin used once, not by the alarm outputs, not by a bus a probe uses.
   */
  private static final class InputPins {
    private record Use(int pin, ConfigNode node) {}

    private final List<Use> uses = new ArrayList<>();

    /** The {@code inputs} section of a unit; invalid entries are left out (and reported). */
    List<InputPin> read(ConfigNode section) {
      section.allowOnly(List.of("door", "power", "agitator"));
      List<InputPin> out = new ArrayList<>();
      for (InputChange.Input input : InputChange.Input.values()) {
        section.get(inputKey(input)).filter(ConfigNode::expectMapping).ifPresent(n -> input(n, input)
            .ifPresent(out::add));
      }
      return out;
    }

    private Optional<InputPin> input(ConfigNode n, InputChange.Input input) {
      n.allowOnly(List.of("pin", "activeWhen", "pull", "debounce"));
      Optional<ConfigNode> pinNode = n.require("pin");
      int pin = pinNode.isPresent() ? n.integer("pin", -1, 0, MAX_BCM_PIN) : -1;
      String activeWhen = n.get("activeWhen").isPresent() ? n.oneOf("activeWhen", Set.of("high", "low")) : "";
      if (n.get("activeWhen").isEmpty()) {
        n.problem(n.path() + ".activeWhen is missing: say which level the pin reads while "
            + switch (input) {
              case DOOR_OPEN -> "the door is open";
              case POWER_LOST -> "the mains power is off";
              case AGITATOR_STOPPED -> "the agitator is stopped";
            } + " (high or low)");
      }
      String pull = n.get("pull").isPresent() ? n.oneOf("pull", Set.of("up", "down", "off")) : "up";
      Duration debounce = n.duration("debounce", DEFAULT_DEBOUNCE, MIN_DEBOUNCE, MAX_DEBOUNCE);
      if (pin < 0 || !Set.of("high", "low").contains(activeWhen) || !Set.of("up", "down", "off").contains(pull)) {
        return Optional.empty();
      }
      uses.add(new Use(pin, pinNode.get()));
      return Optional.of(new InputPin(input, pin,
          activeWhen.equals("high") ? Level.HIGH : Level.LOW,
          Pull.valueOf(pull.toUpperCase(Locale.ROOT)), debounce));
    }

    /** Reports every input pin used twice, by the alarm outputs, or by a probe's bus. */
    void checkAgainst(ConfigNode root, List<Unit> units) {
      Map<Integer, String> taken = new HashMap<>();
      root.get("localAlarm").filter(ConfigNode::isMapping).ifPresent(alarm -> {
        for (String key : List.of("buzzerPin", "ledPin", "mutePin")) {
          alarm.get(key).flatMap(ConfigNode::text).ifPresent(text -> {
            try {
              taken.putIfAbsent(Integer.parseInt(text.strip()), "the alarm's " + key + " (line "
                  + alarm.get(key).get().line() + ")");
            } catch (NumberFormatException e) {
              // reported by the localAlarm section
            }
          });
        }
      });
      busPins(units).forEach(taken::putIfAbsent);
      Map<Integer, Integer> lines = new HashMap<>();
      for (Use use : uses) {
        String other = taken.get(use.pin());
        Integer first = lines.putIfAbsent(use.pin(), use.node().line());
        if (other != null) {
          use.node().invalid("not be a pin in use by " + other);
        } else if (first != null) {
          use.node().problem(Checks.message(use.node().path(), use.pin(), "be used once",
              "also on line " + first));
        }
      }
    }

    /** The GPIO pins of the buses the probes use, with what uses them. */
    private static Map<Integer, String> busPins(List<Unit> units) {
      Map<Integer, String> pins = new HashMap<>();
      for (Unit u : units) {
        for (Sensor s : u.sensors()) {
          if (s.driver() instanceof Ds18b20) {
            pins.put(4, "the 1-Wire bus of the DS18B20 probes (GPIO4, set by provision.sh)");
          } else if (s.driver() instanceof Sht sht && sht.i2c().bus() == 1) {
            pins.put(2, "I2C bus 1 (GPIO2 SDA)");
            pins.put(3, "I2C bus 1 (GPIO3 SCL)");
          } else if (s.driver() instanceof Max31865 m && m.spi().bus() == 0) {
            for (int pin = 7; pin <= 11; pin++) {
              pins.put(pin, "SPI bus 0 (GPIO7 to GPIO11)");
            }
          }
        }
      }
      return pins;
    }
  }

  /** Where each sensor id, SPI device and I2C device was first used: each may appear once. */
  private static final class Seen {
    final Map<String, Integer> ids = new HashMap<>();
    final Map<SpiDevice, Integer> spi = new HashMap<>();
    final Map<I2cDevice, Integer> i2c = new HashMap<>();
    final Map<URI, Integer> uris = new HashMap<>();
  }

  private static final List<String> DS18B20_KEYS = List.of("id", "type", "calibration");
  private static final List<String> MAX31865_KEYS = List.of("id", "type", "spi", "wires", "r0", "rRef", "mainsHz",
      "calibration");
  private static final List<String> SHT_KEYS = List.of("id", "type", "i2c", "address", "calibration");
  private static final List<String> COAP_KEYS = List.of("id", "type", "uri", "silentAfter", "psk", "calibration");

  private static List<Sensor> sensors(ConfigDocument doc, ConfigNode unit, Seen seen, Duration tick) {
    Optional<ConfigNode> list = unit.require("sensors");
    if (list.isEmpty()) {
      return List.of();
    }
    List<ConfigNode> nodes = listOf(doc, list.get(), "sensor");
    List<Sensor> sensors = new ArrayList<>();
    Set<String> types = new LinkedHashSet<>();
    for (SensorType t : SensorType.values()) {
      types.add(t.key());
    }
    for (ConfigNode s : nodes) {
      if (!s.expectMapping()) {
        continue;
      }
      String id = s.id("id");
      Optional<SensorType> type = SensorType.fromKey(s.oneOf("type", types));
      s.allowOnly(type.map(t -> switch (t) {
        case DS18B20 -> DS18B20_KEYS;
        case MAX31865 -> MAX31865_KEYS;
        case SHT3X, SHT4X -> SHT_KEYS;
        case COAP -> COAP_KEYS;
      }).orElseGet(() -> {
        // Unknown type: only the type is reported, not every key it would have allowed.
        Set<String> all = new LinkedHashSet<>(MAX31865_KEYS);
        all.addAll(SHT_KEYS);
        all.addAll(COAP_KEYS);
        return List.copyOf(all);
      }));
      s.get("id").ifPresent(n -> {
        if (Checks.isId(id) && type.equals(Optional.of(SensorType.DS18B20))
            && !Ds18b20Sensor.ROM_ID.matcher(id).matches()) {
          n.invalid(Ds18b20Sensor.ROM_ID_RULE);
        }
        unique(n, id, seen.ids);
      });
      Optional<Driver> driver = type.flatMap(t -> switch (t) {
        case DS18B20 -> Optional.of(new Ds18b20());
        case MAX31865 -> max31865(s, seen);
        case SHT3X -> sht(s, ShtSensor.Model.SHT3X, seen);
        case SHT4X -> sht(s, ShtSensor.Model.SHT4X, seen);
        case COAP -> coap(s, seen, tick);
      });
      Optional<Calibration> calibration = s.get("calibration").flatMap(CalibrationConfig::read);
      if (Checks.isId(id) && driver.isPresent()
          && (!(driver.get() instanceof Ds18b20) || Ds18b20Sensor.ROM_ID.matcher(id).matches())) {
        sensors.add(new Sensor(id, driver.get(), calibration));
      }
    }
    return sensors;
  }

  /** The MAX31865 keys of sensor {@code s}; empty (with problems recorded) if any is invalid. */
  private static Optional<Driver> max31865(ConfigNode s, Seen seen) {
    Optional<ConfigNode> spiNode = s.get("spi").filter(ConfigNode::expectMapping);
    spiNode.ifPresent(n -> n.allowOnly(List.of("bus", "chipSelect")));
    int bus = spiNode.map(n -> n.integer("bus", 0, 0, SpiDevice.MAX_BUS)).orElse(0);
    int chipSelect = spiNode.map(n -> n.integer("chipSelect", 0, 0, SpiDevice.MAX_CHIP_SELECT)).orElse(0);
    int wires = s.integer("wires", 3, 2, 4);
    OptionalInt r0 = choice(s, "r0", 100, List.of(100, 1000), "be 100 (PT100) or 1000 (PT1000)");
    Optional<Double> rRefGiven = s.decimal("rRef");
    OptionalInt mainsHz = choice(s, "mainsHz", 50, List.of(50, 60), "be 50 or 60");
    boolean rRefUnreadable = s.get("rRef").isPresent() && rRefGiven.isEmpty();
    if (r0.isEmpty() || mainsHz.isEmpty() || rRefUnreadable) {
      return Optional.empty();
    }
    CallendarVanDusen curve = CallendarVanDusen.forR0(r0.getAsInt());
    double rRef = rRefGiven.orElse(Max31865Sensor.Settings.defaultReferenceOhms(curve));
    if (rRef < 2 * curve.r0() || rRef > 10 * curve.r0()) {
      s.get("rRef").ifPresent(n -> n.invalid(String.format(Locale.ROOT,
          "be from %.0f to %.0f ohms for a %s (2 to 10 × r0; boards use %.0f)",
          2 * curve.r0(), 10 * curve.r0(), curve.name(), Max31865Sensor.Settings.defaultReferenceOhms(curve))));
      return Optional.empty();
    }
    SpiDevice spi = new SpiDevice(bus, chipSelect);
    ConfigNode at = spiNode.orElse(s);
    Integer first = seen.spi.putIfAbsent(spi, at.line());
    if (first != null) {
      at.problem(Checks.message(s.path() + ".spi", "bus " + bus + ", chipSelect " + chipSelect,
          "be used by one probe only", "also on line " + first));
      return Optional.empty();
    }
    return Optional.of(new Max31865(spi, new Max31865Sensor.Settings(wires, curve, rRef, mainsHz.getAsInt())));
  }

  /** The SHT keys of sensor {@code s}; empty (with problems recorded) if any is invalid. */
  private static Optional<Driver> sht(ConfigNode s, ShtSensor.Model model, Seen seen) {
    Optional<ConfigNode> i2cNode = s.get("i2c").filter(ConfigNode::expectMapping);
    i2cNode.ifPresent(n -> n.allowOnly(List.of("bus")));
    int bus = i2cNode.map(n -> n.integer("bus", 1, 0, I2cDevice.MAX_BUS)).orElse(1);
    int address = model.defaultAddress();
    Optional<ConfigNode> addressNode = s.get("address");
    if (addressNode.isPresent()) {
      Optional<String> text = addressNode.get().text();
      if (text.isEmpty()) {
        return Optional.empty();
      }
      OptionalInt parsed = parseAddress(text.get().strip());
      if (parsed.isEmpty() || !model.addresses().contains(parsed.getAsInt())) {
        addressNode.get().invalid(addressRule(model));
        return Optional.empty();
      }
      address = parsed.getAsInt();
    }
    I2cDevice device = new I2cDevice(bus, address);
    ConfigNode at = addressNode.orElse(s);
    Integer first = seen.i2c.putIfAbsent(device, at.line());
    if (first != null) {
      at.problem(Checks.message(s.path() + ".address",
          "bus " + bus + ", " + I2cDevice.hex(address), "be used by one probe only", "also on line " + first));
      return Optional.empty();
    }
    return Optional.of(new Sht(model, device));
  }

  /**
   * The CoAP keys of sensor {@code s}; empty (with problems recorded) if any is invalid. The
   * key file is read here, so a missing or malformed key is a config error, not a silent node.
   */
  private static Optional<Driver> coap(ConfigNode s, Seen seen, Duration tick) {
    Duration silentByTicks = tick.multipliedBy(CoapNode.DEFAULT_SILENT_TICKS);
    Duration defaultSilent = silentByTicks.compareTo(CoapNode.MAX_SILENT_AFTER) > 0
        ? CoapNode.MAX_SILENT_AFTER : silentByTicks;
    Duration silentAfter = s.duration("silentAfter", defaultSilent, CoapNode.MIN_SILENT_AFTER,
        CoapNode.MAX_SILENT_AFTER);
    Optional<ConfigNode> uriNode = s.require("uri");
    Optional<URI> uri = uriNode.flatMap(n -> n.text().flatMap(text -> {
      try {
        URI u = new URI(text.strip());
        Optional<String> problem = CoapNode.uriProblem(u);
        problem.ifPresent(n::invalid);
        return problem.isEmpty() ? Optional.of(u) : Optional.empty();
      } catch (URISyntaxException e) {
        n.invalid(CoapNode.URI_RULE);
        return Optional.empty();
      }
    }));
    boolean secure = uri.map(u -> u.getScheme().equalsIgnoreCase("coaps")).orElse(false);
    Optional<ConfigNode> pskNode = s.get("psk");
    Optional<Psk> psk = pskNode.filter(ConfigNode::expectMapping).flatMap(AgentConfig::psk);
    if (uri.isPresent() && secure && pskNode.isEmpty()) {
      uriNode.get().problem(s.path() + ".psk is missing: a coaps:// node needs its pre-shared key (identity and"
          + " keyFile)");
      return Optional.empty();
    }
    if (uri.isPresent() && !secure && pskNode.isPresent()) {
      pskNode.get().problem(s.path() + ".psk is only for coaps:// nodes (DTLS); this uri is coap://");
      return Optional.empty();
    }
    if (uri.isEmpty() || (secure && psk.isEmpty())) {
      return Optional.empty();
    }
    Integer first = seen.uris.putIfAbsent(uri.get(), uriNode.get().line());
    if (first != null) {
      uriNode.get().problem(Checks.message(uriNode.get().path(), uri.get(), "be used by one probe only",
          "also on line " + first));
      return Optional.empty();
    }
    return Optional.of(new Coap(new CoapNode(uri.get(), silentAfter, psk)));
  }

  /** The {@code psk} section: identity and a readable key file; empty (with problems) if not. */
  private static Optional<Psk> psk(ConfigNode n) {
    n.allowOnly(List.of("identity", "keyFile"));
    Optional<String> identity = n.require("identity").flatMap(ConfigNode::text).map(String::strip);
    identity.filter(id -> !Psk.identityValid(id))
        .ifPresent(id -> n.get("identity").ifPresent(i -> i.invalid(Psk.IDENTITY_RULE)));
    Optional<ConfigNode> keyNode = n.require("keyFile");
    Optional<Path> keyFile = keyNode.flatMap(AgentConfig::path);
    boolean keyOk = keyFile.map(file -> {
      try {
        Psk.readKey(file);
        return true;
      } catch (Psk.KeyFileException e) {
        keyNode.get().invalid(e.rule());
        return false;
      }
    }).orElse(false);
    if (identity.isEmpty() || !Psk.identityValid(identity.get()) || !keyOk) {
      return Optional.empty();
    }
    return Optional.of(new Psk(identity.get(), keyFile.get()));
  }

  /** {@code 0x44} (hex) or {@code 68} (decimal). */
  private static OptionalInt parseAddress(String text) {
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return OptionalInt.of(Integer.parseInt(text.substring(2), 16));
      }
      return OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** A whole number at {@code key} that must be one of {@code allowed}; {@code fallback} when absent. */
  private static OptionalInt choice(ConfigNode parent, String key, int fallback, List<Integer> allowed, String rule) {
    Optional<ConfigNode> child = parent.get(key);
    if (child.isEmpty()) {
      return OptionalInt.of(fallback);
    }
    Optional<String> text = child.get().text();
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int value = Integer.parseInt(text.get().strip());
      if (allowed.contains(value)) {
        return OptionalInt.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below, like an out-of-range number
    }
    child.get().invalid(rule);
    return OptionalInt.empty();
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
