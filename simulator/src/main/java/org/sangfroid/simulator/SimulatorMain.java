package org.sangfroid.simulator;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.simulator.config.ProbeConfig;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.onewire.DeviceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sangfroid-simulator} command line: {@code run --config FILE} and {@code
 * check-config FILE}. Exit codes: 0 success, 1 failure while running, 2 bad arguments or a
 * configuration with problems.
 */
@Command(
    name = "sangfroid-simulator",
    mixinStandardHelpOptions = true,
    versionProvider = SimulatorMain.Version.class,
    subcommands = {SimulatorMain.Run.class, SimulatorMain.CheckConfig.class},
    description = {
      "Simulates blood-bank refrigerators, plasma freezers and platelet incubators whose DS18B20"
          + " probes appear in a Linux 1-Wire sysfs tree (w1_slave files), so an edge agent can read"
          + " them without hardware.",
      "Failures (door left open, compressor or heater stopped, probe disconnected, CRC errors,"
          + " 85 °C power-on resets, empty reads) are scripted in the configuration file at a"
          + " simulated time after the start.",
    },
    footer = {
      "",
      "Example:",
      "  sangfroid-simulator check-config site.yaml",
      "  sangfroid-simulator run --config site.yaml",
      "",
      "Exit codes: 0 success, 1 failure while running, 2 bad arguments or configuration.",
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

  /** {@code run --config FILE}: simulate until Ctrl-C (or until {@code --for} has passed). */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = SimulatorMain.Version.class,
      description = {
        "Simulates the configured site until Ctrl-C.",
        "Writes the 1-Wire tree of every probe at once, then updates it every second of wall-clock"
            + " time, and logs each probe's temperature every minute.",
      })
  static final class Run implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Simulator YAML file.")
    Path config;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        description = "Stop after this much time, e.g. 90s, 10m, 2h (default: run until Ctrl-C).")
    String runFor;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
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
