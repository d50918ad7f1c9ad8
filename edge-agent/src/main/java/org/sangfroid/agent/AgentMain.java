package org.sangfroid.agent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.discover.I2cDiscovery;
import org.sangfroid.agent.outbox.OutboxException;
import org.sangfroid.agent.selftest.SelfTest;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.OneWireBus;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.agent.sensor.coap.CoapNode;
import org.sangfroid.agent.sensor.coap.CoapNodes;
import org.sangfroid.agent.sensor.pi4j.Pi4jBuses;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.status.StatusReport;
import org.sangfroid.agent.status.StatusText;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sangfroid-agent} command line. Exit codes: 0 success, 1 failure (no probes found,
 * outbox unusable, a self-test check failed, no agent answers {@code status}), 2 bad usage or
 * configuration, 3 ({@code status} only) the agent runs but something needs attention.
 */
@Command(
    name = "sangfroid-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description = {
        "Sangfroid edge agent: reads the temperature probes of blood fridges, freezers and"
            + " incubators, keeps every reading on this device until the gateway confirms it has"
            + " stored it, and sends the readings over MQTT.",
        "",
        "Commissioning: 'discover' lists the probes; write their ids into the configuration"
            + " file; 'check-config' checks it; 'self-test' reads every probe and tries the broker;"
            + " then start the service, which calls 'run'; 'status' shows how the running agent is doing."},
    subcommands = {AgentMain.Run.class, AgentMain.CheckConfig.class, AgentMain.Discover.class, AgentMain.Rtd.class,
        AgentMain.SelfTestCommand.class, AgentMain.Status.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (see the message)", "2:bad command line or configuration",
        "3:status only: the agent runs but something needs attention"})
public final class AgentMain implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  /** {@code status}: the agent runs, and something needs a person. */
  static final int ATTENTION = 3;

  @Spec CommandSpec spec;

  /** What {@code discover} opens to look for I2C sensors. */
  private final Hardware hardware;

  AgentMain(Hardware hardware) {
    this.hardware = hardware;
  }

  /**
   * The hardware {@code discover} asks: the I2C buses, the wait while a chip measures, and the
   * folder where Linux lists I2C buses ({@code i2c-1} and so on).
   */
  record Hardware(Supplier<? extends Buses> buses, Pause pause, Path dev) {
    /** This device: Pi4J's Linux providers, real sleeps, {@code /dev}. A lambda: Pi4J loads only if a bus exists. */
    static Hardware device() {
      return new Hardware(() -> Pi4jBuses.linuxFs(), Pause.SLEEP, Path.of("/dev"));
    }
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    Optional<Path> service = serviceRun(args);
    if (service.isEmpty()) {
      System.exit(commandLine().execute(args));
    }
    int code;
    try {
      code = Run.run(service.get(), new PrintWriter(System.err, true));
    } catch (RuntimeException | InterruptedException e) {
      e.printStackTrace();  // as picocli reports a command that fails
      code = FAILED;
    }
    System.exit(code);
  }

  /**
   * The configuration file when {@code args} are exactly the service's command line, {@code run
   * --config FILE} (or {@code -c FILE}). That command runs without picocli: building its model of
   * the six commands loads about 260 classes (picocli's own, and those the other commands need)
   * that would stay resident for the agent's whole life, about 4 MB of a device's memory
   * (docs/performance.md). Any other command line, including help and mistakes, goes through
   * picocli as usual.
   */
  static Optional<Path> serviceRun(String... args) {
    boolean service = args.length == 3 && args[0].equals("run")
        && (args[1].equals("--config") || args[1].equals("-c")) && !args[2].isEmpty() && !args[2].startsWith("-");
    return service ? Optional.of(Path.of(args[2])) : Optional.empty();
  }

  /** The command line, for embedding and tests (set its out/err writers to capture output). */
  public static CommandLine commandLine() {
    return commandLine(Hardware.device());
  }

  /** The command line with other hardware for {@code discover} (tests). */
  static CommandLine commandLine(Hardware hardware) {
    return new CommandLine(new AgentMain(hardware)).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("Missing a command: run, check-config, discover, self-test, rtd or status.");
    spec.commandLine().usage(spec.commandLine().getErr());
    return BAD_INPUT;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sangfroid-agent " + EdgeAgent.version()};
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "Start the agent (the service runs this).",
      description = {
          "Reads every probe each tick, stores the readings in the outbox (dataDir/outbox.db)"
              + " and sends them to the gateway. Readings stay in the outbox until the gateway"
              + " confirms them, so nothing is lost while the network or the gateway is down.",
          "Stops cleanly on Ctrl-C or SIGTERM (systemctl stop)."})
  static final class Run implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Run.class);

    @Spec CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The agent's configuration file, e.g. /etc/sangfroid/agent.yaml.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
      return run(config, spec.commandLine().getErr());
    }

    /** Starts the agent and waits until the JVM is stopped; returns the exit code if it could not start. */
    static int run(Path config, PrintWriter err) throws InterruptedException {
      AgentConfig cfg;
      try {
        cfg = AgentConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_INPUT;
      }
      EdgeAgent agent;
      try {
        agent = EdgeAgent.start(cfg, EdgeAgent.systemTime(cfg));
      } catch (OutboxException e) {
        err.println(e.getMessage());
        err.flush();
        return FAILED;
      }
      log.info("Outbox: {} (readings wait here until the gateway confirms them)", agent.outboxFile());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        log.info("Stopping (signal received)");
        agent.close();
        stopped.countDown();
      }, "sangfroid-shutdown"));
      stopped.await();
      return OK;
    }
  }

  @Command(
      name = "check-config",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "Check a configuration file without starting anything.",
      description = {
          "Prints every problem as FILE:LINE: what is wrong (exit code 2), or a one-line"
              + " summary starting with OK (exit code 0)."})
  static final class CheckConfig implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file to check.")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        AgentConfig c = AgentConfig.load(file);
        out.printf(Locale.ROOT, "OK: %s: site %s, agent %s, %d unit(s), %d probe(s), tick %s, broker %s,"
                + " outbox %s%n", file, c.site(), c.agent(), c.units().size(), c.sensorCount(),
            ConfigNode.human(c.tick()), c.broker().url(), c.outboxFile());
        inputs(c).forEach(out::println);
        out.flush();
        return OK;
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_INPUT;
      }
    }
  }

  /**
   * What the units' digital inputs mean, and the {@code config.txt} line that sets each pin's
   * pull resistor (Pi4J's sysfs GPIO cannot): without it a pin keeps the SoC's default pull, and
   * a door contact may never read open. Nothing when no unit has an input.
   */
  static List<String> inputs(AgentConfig c) {
    List<String> lines = new ArrayList<>();
    for (AgentConfig.Unit u : c.units()) {
      for (AgentConfig.InputPin p : u.inputs()) {
        String meaning = switch (p.input()) {
          case DOOR_OPEN -> "door open";
          case POWER_LOST -> "mains power off";
          case AGITATOR_STOPPED -> "agitator stopped";
        };
        String pull = switch (p.pull()) {
          case UP -> "pu";
          case DOWN -> "pd";
          case OFF -> "pn";
        };
        lines.add(String.format(Locale.ROOT, "  input: unit %s, %s on GPIO%d: %s when %s, debounce %s;"
                + " in /boot/firmware/config.txt: gpio=%d=ip,%s", u.id(), p.key(), p.pin(), meaning,
            p.activeWhen().name().toLowerCase(Locale.ROOT), ConfigNode.human(p.debounce()), p.pin(), pull));
      }
    }
    return lines;
  }

  @Command(
      name = "discover",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "List the probes with their temperature: DS18B20s on the 1-Wire bus, SHT3x/SHT4x sensors on"
          + " I2C, and the CoAP nodes of a configuration.",
      description = {
          "Shows the ids to write under 'sensors:' in the configuration. Warm a probe in your"
              + " hand and run it again to see which id is which. Each probe takes about 0.75 s"
              + " to read.",
          "Also asks the I2C bus (the configuration's SHT buses, else bus 1: /dev/i2c-1) at the addresses"
              + " SHT3x and SHT4x sensors can have (0x44, 0x45, 0x46) for one measurement, and prints the"
              + " address and family of each that answers. MAX31865 boards (PT100/PT1000) are on SPI and"
              + " cannot be listed; 'status' shows their readings once the agent runs.",
          "With --config, also asks each wireless node of that file (type: coap) for its"
              + " temperature, once, and says why when one does not answer.",
          "Exit code 1 when a probe the configuration needs was not found or a node did not give"
              + " a temperature."})
  static final class Discover implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand AgentMain main;

    @Option(names = "--onewire", paramLabel = "PATH",
        description = "The 1-Wire devices folder (default: the configuration's, else /sys/bus/w1/devices).")
    Path onewire;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "The agent's configuration file, e.g. /etc/sangfroid/agent.yaml: its CoAP nodes are"
            + " asked too.")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "How long to wait for each CoAP node, such as 5s or 20s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<AgentConfig> cfg = Optional.empty();
      if (config != null) {
        try {
          cfg = Optional.of(AgentConfig.load(config));
        } catch (ConfigException e) {
          e.problems().forEach(err::println);
          err.flush();
          return BAD_INPUT;
        }
      }
      List<AgentConfig.Sensor> sensors = cfg.map(c -> c.units().stream().flatMap(u -> u.sensors().stream())
          .toList()).orElse(List.of());
      List<AgentConfig.Sensor> nodes = sensors.stream().filter(s -> s.driver() instanceof AgentConfig.Coap).toList();
      // Without a configuration, or with DS18B20s in it, the 1-Wire bus is what is asked for.
      boolean needOneWire = cfg.isEmpty() || sensors.stream().anyMatch(s -> s.driver() instanceof AgentConfig.Ds18b20);
      Path bus = onewire != null ? onewire : cfg.map(c -> c.onewire().path()).orElse(OneWireBus.DEFAULT_PATH);
      boolean ok = oneWire(bus, needOneWire, out, err);
      ok &= i2c(sensors, cfg.isEmpty(), out, err);
      if (!nodes.isEmpty()) {
        ok &= coap(nodes, out);
      }
      out.flush();
      err.flush();
      return ok ? OK : FAILED;
    }

    /** Lists the DS18B20s; false when none is found although they are needed. */
    private static boolean oneWire(Path bus, boolean needed, PrintWriter out, PrintWriter err) {
      if (!Files.isDirectory(bus)) {
        if (needed) {
          err.println("No 1-Wire bus at " + bus + ". On a Raspberry Pi, add 'dtoverlay=w1-gpio' to"
              + " /boot/firmware/config.txt and reboot.");
        }
        return !needed;
      }
      List<String> roms = OneWireBus.discover(bus);
      if (roms.isEmpty()) {
        if (needed) {
          err.println("No DS18B20 probe found under " + bus + ". Check the wiring: data on GPIO4"
              + " with a 4.7 kOhm pull-up to 3.3 V, ground, and power.");
        }
        return !needed;
      }
      for (String rom : roms) {
        SensorReading r = new Ds18b20Sensor(bus, rom).read();
        out.println(rom + "  " + (r.quality() == Quality.OK ? celsius(r.celsius()) : r.quality().wire()));
      }
      out.println(roms.size() + " probe(s) found.");
      return true;
    }

    /**
     * Lists the SHT sensors on the configuration's I2C buses (bus 1 without any); false when
     * a configured one does not answer as configured.
     */
    private boolean i2c(List<AgentConfig.Sensor> sensors, boolean noConfig, PrintWriter out, PrintWriter err) {
      Map<Integer, List<AgentConfig.Sensor>> byBus = new TreeMap<>();
      for (AgentConfig.Sensor s : sensors) {
        if (s.driver() instanceof AgentConfig.Sht sht) {
          byBus.computeIfAbsent(sht.i2c().bus(), b -> new ArrayList<>()).add(s);
        }
      }
      if (byBus.isEmpty()) {
        byBus.put(1, List.of());
      }
      boolean spiProbes = noConfig || sensors.stream().anyMatch(s -> s.driver() instanceof AgentConfig.Max31865);
      boolean ok = true;
      boolean scanned = false;
      Buses buses = null;
      try {
        for (Map.Entry<Integer, List<AgentConfig.Sensor>> e : byBus.entrySet()) {
          Path file = main.hardware.dev().resolve("i2c-" + e.getKey());
          if (!Files.exists(file)) {
            if (e.getValue().isEmpty() && !noConfig) {
              continue;  // the configuration needs no I2C: nothing to complain about
            }
            String why = "No I2C bus at " + file + ": enable I2C with 'dtparam=i2c_arm=on' in"
                + " /boot/firmware/config.txt and reboot.";
            err.println(e.getValue().isEmpty() ? why + " (SHT3x/SHT4x sensors were not looked for.)"
                : why + " These probes cannot be read: " + String.join(", ", e.getValue().stream()
                    .map(AgentConfig.Sensor::id).toList()) + ".");
            ok &= e.getValue().isEmpty();
            continue;
          }
          if (buses == null) {
            buses = main.hardware.buses().get();
          }
          scanned = true;
          ok &= i2cBus(e.getKey(), file, e.getValue(), I2cDiscovery.scan(buses, e.getKey(), main.hardware.pause()),
              out, err);
        }
      } catch (RuntimeException | LinkageError e) {
        err.println("I2C cannot be used here: " + e.getMessage());
        ok = byBus.values().stream().allMatch(List::isEmpty);
      } finally {
        if (buses != null) {
          buses.close();
        }
      }
      if (scanned && spiProbes) {
        out.println("MAX31865 boards (PT100/PT1000 probes) are on SPI, not I2C: they cannot be listed here;"
            + " 'status' shows their readings once the agent runs.");
      }
      return ok;
    }

    private static boolean i2cBus(int bus, Path file, List<AgentConfig.Sensor> configured,
        List<I2cDiscovery.Found> found, PrintWriter out, PrintWriter err) {
      out.println("I2C bus " + bus + " (" + file + "):");
      for (I2cDiscovery.Found f : found) {
        ShtSensor.Sample sample = f.measured().sample();
        String what = sample.temperature().quality() == Quality.OK
            ? celsius(sample.temperature().celsius()) + String.format(Locale.ROOT, ", %.1f %%RH",
                sample.relativeHumidity().getAsDouble())
            : "answers, but " + sample.temperature().quality().wire() + ": " + f.measured().why();
        out.println("  " + I2cDevice.hex(f.device().address()) + "  " + f.model() + "  " + what);
      }
      out.println(found.size() + " I2C sensor(s) found (asked " + String.join(", ",
          I2cDiscovery.KNOWN.keySet().stream().map(I2cDevice::hex).toList()) + ").");
      boolean ok = true;
      for (AgentConfig.Sensor s : configured) {
        AgentConfig.Sht sht = (AgentConfig.Sht) s.driver();
        String where = I2cDevice.hex(sht.i2c().address()) + " on " + file;
        Optional<I2cDiscovery.Found> at = found.stream()
            .filter(f -> f.device().address() == sht.i2c().address()).findFirst();
        if (at.isEmpty()) {
          err.println("Probe " + s.id() + " (" + sht.model() + " at " + where + ") did not answer. Check its"
              + " wiring: SDA to GPIO2 (pin 3), SCL to GPIO3 (pin 5), VDD to 3.3 V, GND; and its address.");
          ok = false;
        } else if (at.get().model() != sht.model()) {
          err.println("Probe " + s.id() + " is configured as " + sht.type().key() + ", but an " + at.get().model()
              + " answers at " + where + ": set 'type: " + at.get().model().name().toLowerCase(Locale.ROOT) + "'.");
          ok = false;
        }
      }
      return ok;
    }

    /** Asks each node once; false when one gives no temperature. */
    private boolean coap(List<AgentConfig.Sensor> nodes, PrintWriter out) {
      out.println("CoAP nodes in " + config + ":");
      int width = nodes.stream().mapToInt(s -> s.id().length()).max().orElse(0);
      int answered = 0;
      try (CoapNodes link = new CoapNodes(Clock.systemUTC(), new SimpleMeterRegistry())) {
        for (AgentConfig.Sensor s : nodes) {
          CoapNode node = ((AgentConfig.Coap) s.driver()).node();
          CoapNodes.Answer a = link.read(node, timeout);
          String what;
          if (a.reading().quality() == Quality.OK) {
            answered++;
            what = celsius(a.reading().celsius()) + (a.detail().isEmpty() ? "" : " (" + a.detail() + ")");
          } else {
            what = a.reading().quality().wire() + ": " + a.detail();
          }
          out.println(String.format(Locale.ROOT, "%-" + width + "s  %s  %s", s.id(), node.uri(), what));
          out.flush();
        }
      }
      out.println(nodes.size() + " CoAP node(s), " + answered + " with a temperature.");
      return answered == nodes.size();
    }

    private static String celsius(double c) {
      return String.format(Locale.ROOT, "%.3f °C", c);
    }
  }

  @Command(
      name = "self-test",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "Check a device before leaving it: read every probe, check its range and calibration, try the"
          + " broker.",
      description = {
          "Reads every probe of the configuration once, checks that its value lies in its unit's acceptable"
              + " range and that its calibration is recorded and not overdue, then connects to the broker with"
              + " the agent's user name and password (TLS for ssl://). Prints one line per check: PASS, or FAIL"
              + " and what to look at.",
          "Run it before starting the service: the service and the self-test should not both talk to SPI or"
              + " I2C probes at the same time.",
          "Exit code 0 only when every check passes, 1 when one fails, 2 when the configuration is wrong."})
  static final class SelfTestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The agent's configuration file, e.g. /etc/sangfroid/agent.yaml.")
    Path config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "How long to wait for each CoAP node and for the broker, such as 5s or 20s"
            + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      AgentConfig cfg;
      try {
        cfg = AgentConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_INPUT;
      }
      // A lambda, not a method reference: Pi4J's classes load only if a probe needs them.
      SelfTest.Report report = SelfTest.run(cfg, Clock.systemUTC(), () -> Pi4jBuses.linuxFs(), Pause.SLEEP,
          timeout);
      print(report, out);
      out.flush();
      return report.passed() ? OK : FAILED;
    }

    static void print(SelfTest.Report report, PrintWriter out) {
      List<SelfTest.Row> rows = report.rows();
      int probe = Math.max("PROBE".length(), rows.stream().mapToInt(r -> r.probe().length()).max().orElse(0));
      int value = Math.max("VALUE".length(), rows.stream().mapToInt(r -> r.value().length()).max().orElse(0));
      int check = Math.max("CHECK".length(), rows.stream().mapToInt(r -> r.check().length()).max().orElse(0));
      String format = "%-" + probe + "s  %-" + value + "s  %-" + check + "s  %s%n";
      out.printf(Locale.ROOT, format, "PROBE", "VALUE", "CHECK", "RESULT");
      String previous = "";
      for (SelfTest.Row r : rows) {
        // A probe's id once, on its first line.
        String id = r.probe().equals(previous) ? "" : r.probe();
        previous = r.probe();
        out.printf(Locale.ROOT, format, id, r.value(), r.check(), (r.pass() ? "PASS  " : "FAIL  ") + r.detail());
      }
      long probes = rows.stream().map(SelfTest.Row::probe).filter(p -> !p.equals("broker")).distinct().count();
      out.println(report.passed()
          ? "Self-test passed: " + probes + " probe(s) and the broker, " + rows.size() + " checks."
          : "Self-test FAILED: " + report.failures() + " of " + rows.size() + " checks failed.");
    }
  }

  /** Durations as technicians write them: 5s, 500ms, 2m, or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = ConfigNode.parseDuration(value);
        if (d.isZero() || d.isNegative()) {
          throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration such as 5s");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 5s or 500ms");
      }
    }
  }

  @Command(
      name = "rtd",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "Convert a platinum probe's resistance to its temperature, or back (IEC 60751).",
      description = {
          "For checking a PT100 or PT1000 against a multimeter or a decade box: --ohms prints the"
              + " temperature the agent reports for that resistance; --celsius prints the resistance"
              + " to set on a decade box to stand for that temperature.",
          "Callendar-Van Dusen with the IEC 60751 coefficients, including the C term below 0 °C;"
              + " valid from -200 to 850 °C."})
  static final class Rtd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** Exactly one direction. */
    static final class Input {
      @Option(names = "--ohms", paramLabel = "R", required = true,
          description = "The probe's resistance in ohms, e.g. 68.33.")
      Double ohms;

      @Option(names = "--celsius", paramLabel = "T", required = true,
          description = "A temperature in °C, e.g. -80.")
      Double celsius;
    }

    @Option(names = "--r0", paramLabel = "100|1000", defaultValue = "100",
        description = "The probe's resistance at 0 °C: 100 for a PT100, 1000 for a PT1000 (default: ${DEFAULT-VALUE}).")
    int r0;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        CallendarVanDusen curve = CallendarVanDusen.forR0(r0);
        if (input.ohms != null) {
          double t = curve.temperature(input.ohms);
          out.println(milli(t) + " °C (" + curve.name() + " at " + milli(input.ohms) + " Ω, IEC 60751)");
        } else {
          double r = curve.resistance(input.celsius);
          out.println(milli(r) + " Ω (" + curve.name() + " at " + milli(input.celsius) + " °C, IEC 60751)");
        }
        out.flush();
        return OK;
      } catch (InvalidValueException e) {
        // The messages name the field (ohms, celsius, r0); here it is the option of that name.
        err.println("--" + e.getMessage());
        err.flush();
        return BAD_INPUT;
      }
    }

    /** Three decimals (1 mΩ, 1 m°C), never "-0.000". */
    private static String milli(double x) {
      String s = String.format(Locale.ROOT, "%.3f", x);
      return s.equals("-0.000") ? "0.000" : s;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      versionProvider = AgentMain.Version.class,
      header = "Show the running agent's state: outbox, broker connection, probes, local alarm.",
      description = {
          "Asks the agent that runs on this device, at the endpoint its configuration's 'metrics:' section"
              + " opens (without options: http://127.0.0.1:9101, the default). Then prints how many readings"
              + " wait for the gateway and since when, how many were dropped, whether the broker is connected"
              + " (and why not), each probe's latest reading, and the local alarm and its mute.",
          "The agent needs the 'metrics:' section in its configuration for this to work."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
          "0:the agent runs and all is well",
          "1:no agent answers (not running, or started without a 'metrics:' section)",
          "2:bad command line or configuration",
          "3:the agent runs but something needs attention (listed under 'Needs attention')"})
  static final class Status implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true)
    Target target;

    /** Where the agent is: from its configuration, or a URL. */
    static final class Target {
      @Option(names = {"-c", "--config"}, paramLabel = "FILE",
          description = "The agent's configuration file, e.g. /etc/sangfroid/agent.yaml: its 'metrics:' section says"
              + " where the agent answers.")
      Path config;

      @Option(names = "--url", paramLabel = "URL",
          description = "The agent's endpoint, such as http://127.0.0.1:9101 (the default).")
      URI url;
    }

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "How long to wait for the agent (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print the agent's answer as it came (JSON), for scripts.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      URI base;
      if (target != null && target.config != null) {
        AgentConfig cfg;
        try {
          cfg = AgentConfig.load(target.config);
        } catch (ConfigException e) {
          e.problems().forEach(err::println);
          err.flush();
          return BAD_INPUT;
        }
        if (cfg.metrics().isEmpty()) {
          err.println(target.config + " has no 'metrics:' section, so the agent serves no status. Add these two"
              + " lines to it, then restart the agent (sudo systemctl restart sangfroid-agent):");
          err.println("metrics:");
          err.println("  port: " + AgentConfig.DEFAULT_METRICS_PORT);
          err.flush();
          return BAD_INPUT;
        }
        base = cfg.metrics().get().localUrl();
      } else if (target != null && target.url != null) {
        base = target.url;
        if (!"http".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
          err.println("--url [" + base + "] must be http://HOST:PORT, such as http://127.0.0.1:"
              + AgentConfig.DEFAULT_METRICS_PORT + ".");
          err.flush();
          return BAD_INPUT;
        }
      } else {
        base = AgentConfig.Metrics.defaults().localUrl();
      }
      URI url = base.resolve("/status");
      String body;
      try {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
          err.println(url + " answered HTTP " + response.statusCode() + ": " + response.body());
          err.flush();
          return FAILED;
        }
        body = response.body();
      } catch (HttpTimeoutException e) {
        err.println("The agent at " + base + " did not answer within " + ConfigNode.human(timeout) + ".");
        err.flush();
        return FAILED;
      } catch (IOException e) {
        String why = e instanceof ConnectException ? "nothing listens there"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("No agent answers at " + base + " (" + why + "). Is it running (systemctl status"
            + " sangfroid-agent)? Its configuration needs a 'metrics:' section for status to reach it.");
        err.flush();
        return FAILED;
      }
      StatusReport report;
      try {
        report = JSON.readValue(body, StatusReport.class);
        Checks.requireNonNull("outbox", report.outbox());
        Checks.requireNonNull("connection", report.connection());
        Checks.requireNonNull("probes", report.probes());
        Checks.requireNonNull("localAlarm", report.localAlarm());
      } catch (IOException | RuntimeException e) {
        err.println(url + " did not answer with an agent status (is a Sangfroid agent listening there?)");
        err.flush();
        return FAILED;
      }
      if (json) {
        out.println(body);
      } else {
        StatusText.lines(report).forEach(out::println);
      }
      out.flush();
      return StatusText.attention(report).isEmpty() ? OK : ATTENTION;
    }
  }
}
