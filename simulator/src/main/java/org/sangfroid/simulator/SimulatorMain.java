package org.sangfroid.simulator;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.simulator.config.ProbeConfig;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.bench.FleetBench;
import org.sangfroid.simulator.coap.CoapSite;
import org.sangfroid.simulator.onewire.DeviceState;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.run.Pacer;
import org.sangfroid.simulator.run.ProgressBar;
import org.sangfroid.simulator.run.RunException;
import org.sangfroid.simulator.run.ScenarioRunner;
import org.sangfroid.simulator.run.ScenarioSession;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sangfroid-simulator} command line: {@code run SCENARIO} (a scenario against a real
 * gateway on a virtual clock, with a report), {@code run --config FILE} (a site's 1-Wire tree for
 * a real agent), {@code check-scenario FILE}, {@code check-config FILE} and {@code bench}.
 * Exit codes: 0 success (a scenario: every alarm as expected), 1 failure (a scenario: something
 * did not match), 2 bad arguments or a file with problems, 3 a scenario whose door, power or
 * agitator alarms could not be checked (pending).
 */
@Command(
    name = "sangfroid-simulator",
    mixinStandardHelpOptions = true,
    versionProvider = SimulatorMain.Version.class,
    subcommands = {SimulatorMain.Run.class, SimulatorMain.CheckScenario.class, SimulatorMain.ServeCoap.class,
        SimulatorMain.CheckConfig.class, FleetBench.Command.class},
    description = {
      "Simulates blood-bank refrigerators, plasma and ultra-low freezers, platelet incubators, cold"
          + " rooms and transport boxes, to test Sangfroid without hardware.",
      "A scenario file describes sites, units, a timeline of failures (doors left open, compressor"
          + " failures, power cuts, probes drifting or falling out of their glycol bottle, network"
          + " losses, agent crashes) and the alarms the gateway must raise. 'run SCENARIO' runs it"
          + " against a real gateway on a virtual clock, so days pass in seconds, and writes a report"
          + " (JSON and HTML) to keep as validation evidence.",
      "'run --config FILE' instead shows a site's DS18B20 probes in a Linux 1-Wire sysfs tree, in"
          + " real time, for a real edge agent to read; 'serve-coap SCENARIO' serves a scenario's probes"
          + " as CoAP sensor nodes.",
    },
    footer = {
      "",
      "Examples:",
      "  sangfroid-simulator run simulator/scenarios/fridge-door-left-open.yaml",
      "  sangfroid-simulator run my-scenario.yaml --speed 600 --out reports/",
      "  sangfroid-simulator check-scenario my-scenario.yaml",
      "  sangfroid-simulator run --config site.yaml",
      "  sangfroid-simulator bench",
      "",
      "Exit codes: 0 success (every alarm as expected), 1 failure (something did not match, or the run",
      "could not be carried out), 2 bad arguments or a file with problems, 3 pending (door, power or",
      "agitator alarms could not be checked: the gateway does not handle agent events yet).",
    })
public final class SimulatorMain implements Runnable {
  /** Exit code for a configuration with problems (and for bad arguments, as picocli uses). */
  public static final int CONFIG_PROBLEMS = 2;

  /** How often {@code run} logs each probe's temperature. */
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The picocli command line, so callers may redirect its output. */
  public static CommandLine commandLine() {
    return new CommandLine(new SimulatorMain());
  }

  /**
   * {@code run SCENARIO}: a scenario against a real gateway, with a report; or {@code run --config
   * FILE}: a site's 1-Wire tree until Ctrl-C (or until {@code --for} has passed).
   */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = SimulatorMain.Version.class,
      description = {
        "Runs a scenario: starts an MQTT broker and a gateway on a virtual clock, drives the scenario's"
            + " units through virtual agents, shows a progress bar, then compares the alarms the gateway"
            + " raised with the ones the scenario expects. Writes NAME.report.json and NAME.report.html"
            + " next to the scenario (or in --out), and NAME.run/ with the gateway's configuration and"
            + " database.",
        "With --config instead: simulates a site until Ctrl-C, writing the 1-Wire tree of every probe"
            + " at once, then every second of wall-clock time, and logs each probe's temperature every"
            + " minute.",
      })
  static final class Run implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Simulator YAML file of a site (1-Wire).")
    Path config;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        description = "With --config: stop after this much time, e.g. 90s, 10m, 2h (default: run until Ctrl-C).")
    String runFor;

    @ArgGroup(exclusive = true)
    Pace pace;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Folder for the reports and the run's files (default: the scenario's folder).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Use this seed instead of the scenario's.")
    Long seed;

    @Spec CommandSpec spec;

    static final class Pace {
      @Option(names = "--speed", paramLabel = "N",
          description = "Pace virtual time at N times real time, e.g. 600 (10 minutes a second).")
      Double speed;

      @Option(names = "--as-fast-as-possible", description = "Do not pace virtual time (the default).")
      boolean fast;
    }

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      if ((scenario == null) == (config == null)) {
        err.println("Give either a scenario file (run SCENARIO) or a site configuration (run --config FILE).");
        err.flush();
        return CONFIG_PROBLEMS;
      }
      if (config != null) {
        if (pace != null || out != null || seed != null) {
          err.println("--speed, --as-fast-as-possible, --out and --seed are for scenarios, not with --config.");
          err.flush();
          return CONFIG_PROBLEMS;
        }
        return runSite(err);
      }
      if (runFor != null) {
        err.println("--for is for --config; a scenario runs for its own duration.");
        err.flush();
        return CONFIG_PROBLEMS;
      }
      return runScenario(err);
    }

    private int runScenario(PrintWriter err) {
      Scenario s;
      try {
        s = ScenarioFile.load(scenario);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return CONFIG_PROBLEMS;
      }
      if (seed != null) {
        s = s.withSeed(seed);
      }
      Pacer pacer = Pacer.asFastAsPossible();
      if (pace != null && pace.speed != null) {
        if (!(pace.speed > 0) || pace.speed.isInfinite()) {
          err.println("--speed [" + pace.speed + "] must be a positive number, e.g. 600.");
          err.flush();
          return CONFIG_PROBLEMS;
        }
        pacer = Pacer.atSpeed(pace.speed, System::nanoTime, LockSupport::parkNanos);
      }
      Path folder = out != null ? out : Optional.ofNullable(scenario.toAbsolutePath().getParent()).orElse(Path.of("."));
      ScenarioRunner.Options options = ScenarioRunner.Options.defaults().withPacer(pacer)
          .withProgress(new ProgressBar(err, s.step(), s.duration(), System::nanoTime));
      try {
        RunReport report = ScenarioSession.run(s, scenario, folder, options, System::nanoTime);
        ScenarioSession.summary(report, ScenarioSession.files(scenario, folder), spec.commandLine().getOut());
        return report.verdict().exitCode();
      } catch (RunException | UncheckedIOException e) {
        err.println();
        err.println("The run could not be carried out: " + e.getMessage());
        err.flush();
        return 1;
      }
    }

    private int runSite(PrintWriter err) throws InterruptedException {
      Optional<Duration> limit;
      try {
        limit = Optional.ofNullable(runFor).map(ConfigNode::parseDuration);
      } catch (IllegalArgumentException e) {
        err.println("--for [" + runFor + "] must be a duration such as 90s, 10m or 2h.");
        return CONFIG_PROBLEMS;
      }
      SimulatorConfig cfg;
      try {
        cfg = SimulatorConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return CONFIG_PROBLEMS;
      }
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  stopped.await(SimulatedSite.CLOSE_WAIT.toSeconds() + 1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sangfroid-simulator-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      Clock clock = Clock.systemUTC();
      long deadline = limit.map(d -> clock.millis() + d.toMillis()).orElse(Long.MAX_VALUE);
      try (SimulatedSite site = SimulatedSite.start(cfg, clock)) {
        logTemperatures(cfg, site);
        while (true) {
          long wait = Math.min(LOG_EVERY.toMillis(), deadline - clock.millis());
          if (wait <= 0 || stop.await(wait, TimeUnit.MILLISECONDS)) {
            break;
          }
          logTemperatures(cfg, site);
        }
      } catch (UncheckedIOException e) {
        err.println("Cannot write the 1-Wire tree in " + cfg.onewireDir() + ": " + e.getCause());
        err.flush();
        return 1;
      } finally {
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook is running
        }
      }
      return 0;
    }

    private static void logTemperatures(SimulatorConfig cfg, SimulatedSite site) {
      var devices = site.devices();
      for (ProbeConfig p : cfg.probes()) {
        DeviceState shown = devices.get(p.rom());
        String failure = p.failure().map(SimulatorMain.Run::describe).orElse("no failure");
        LOG.info(
            "{} {} {} °C (shows {}; {})",
            p.rom(),
            p.kind().configName(),
            String.format(Locale.ROOT, "%.4f", site.temperature(p.rom().value())),
            shown.getClass().getSimpleName(),
            failure);
      }
    }

    private static String describe(Failure f) {
      return f.kind().configName()
          + " at "
          + ConfigNode.human(f.at())
          + f.duration().map(d -> " for " + ConfigNode.human(d)).orElse("");
    }
  }

  /** {@code check-scenario FILE}: report every problem of a scenario file. */
  @Command(
      name = "check-scenario",
      mixinStandardHelpOptions = true,
      versionProvider = SimulatorMain.Version.class,
      description = {
        "Checks a scenario file without running it.",
        "Prints every problem as FILE:LINE: what is wrong. Exit code 0 when the file is fine, 2"
            + " otherwise.",
      })
  static final class CheckScenario implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Scenario YAML file.")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try {
        Scenario s = ScenarioFile.load(file);
        spec.commandLine().getOut().println(file + ": OK, " + s.units().size() + " unit(s), " + s.events().size()
            + " event(s), " + s.expected().size() + " expected alarm(s), " + Durations.human(s.duration())
            + " simulated");
        spec.commandLine().getOut().flush();
        return 0;
      } catch (ConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        e.problems().forEach(err::println);
        err.flush();
        return CONFIG_PROBLEMS;
      }
    }
  }

  /** {@code serve-coap SCENARIO}: a scenario's probes as CoAP nodes, in real time, for a real agent. */
  @Command(
      name = "serve-coap",
      mixinStandardHelpOptions = true,
      versionProvider = SimulatorMain.Version.class,
      description = {
        "Serves each probe of a scenario as a wireless CoAP temperature node (IPSO object 3303, SenML"
            + " JSON) on the given address, driven by the scenario's models in real time from now, for a"
            + " real edge agent to observe (its 'type: coap' sensors). A disconnected probe's node goes"
            + " silent; other probe faults serve an empty pack.",
        "Prints each probe's id and URI, then runs until Ctrl-C or until the scenario's duration has"
            + " passed. Agents, networks and expected alarms in the scenario are not used here.",
      })
  static final class ServeCoap implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path file;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "Address the nodes listen on (default ${DEFAULT-VALUE}); each gets its own UDP port.")
    String bind;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      Scenario s;
      InetAddress address;
      try {
        s = ScenarioFile.load(file);
        address = InetAddress.getByName(bind);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return CONFIG_PROBLEMS;
      } catch (UnknownHostException e) {
        err.println("--bind [" + bind + "] must be an address of this computer, such as 127.0.0.1.");
        err.flush();
        return CONFIG_PROBLEMS;
      }
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook = new Thread(stop::countDown, "sangfroid-simulator-coap-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try (CoapSite site = CoapSite.start(s, Clock.systemUTC(), address, r -> {
        Thread t = new Thread(r, "sangfroid-simulator-coap");
        t.setDaemon(true);
        return t;
      })) {
        PrintWriter out = spec.commandLine().getOut();
        site.nodes().forEach((probe, uri) -> out.println(probe + " " + uri));
        out.flush();
        stop.await(s.duration().toMillis(), TimeUnit.MILLISECONDS);
      } catch (UncheckedIOException e) {
        err.println("The CoAP nodes cannot listen on " + bind + ": " + e.getCause());
        err.flush();
        return 1;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook is running
        }
      }
      return 0;
    }
  }

  /** {@code check-config FILE}: report every problem of a configuration file. */
  @Command(
      name = "check-config",
      mixinStandardHelpOptions = true,
      versionProvider = SimulatorMain.Version.class,
      description = {
        "Checks a configuration file without running it.",
        "Prints every problem as FILE:LINE: what is wrong. Exit code 0 when the file is fine, 2"
            + " otherwise.",
      })
  static final class CheckConfig implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Simulator YAML file.")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try {
        SimulatorConfig cfg = SimulatorConfig.load(file);
        spec.commandLine().getOut().println(file + ": OK, " + cfg.probes().size() + " probe(s)");
        spec.commandLine().getOut().flush();
        return 0;
      } catch (ConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        e.problems().forEach(err::println);
        err.flush();
        return CONFIG_PROBLEMS;
      }
    }
  }

  /** The version from the jar manifest, or "development build" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SimulatorMain.class.getPackage().getImplementationVersion();
      return new String[] {
        "sangfroid-simulator " + (v == null ? "(development build)" : v),
        "Java " + System.getProperty("java.version"),
      };
    }
  }
}
