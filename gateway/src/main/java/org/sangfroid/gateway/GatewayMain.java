package org.sangfroid.gateway;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.config.GatewayConfig.Embedded;
import org.sangfroid.gateway.config.GatewayConfig.External;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code sangfroid-gateway} command line: {@code run} and {@code check-config}. */
@Command(
    name = "sangfroid-gateway",
    mixinStandardHelpOptions = true,
    versionProvider = GatewayMain.Version.class,
    description = {
      "The Sangfroid gateway: receives readings from edge agents over MQTT,",
      "stores them, checks them against each unit's storage rules and raises",
      "alarms. Serves a JSON API and metrics.",
    },
    subcommands = {GatewayMain.Run.class, GatewayMain.CheckConfig.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 the gateway could not start, 2 bad configuration or arguments."})
public final class GatewayMain implements Runnable {
  /** Exit code for a configuration with problems (also picocli's code for bad arguments). */
  static final int BAD_CONFIG = 2;
  /** Exit code when the gateway cannot start (port taken, database unreadable…). */
  static final int CANNOT_START = 1;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for {@code main} and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new GatewayMain());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: run or check-config.");
  }

  @Command(name = "run", description = "Runs the gateway until it is stopped (Ctrl-C or SIGTERM).",
      mixinStandardHelpOptions = true)
  static final class Run implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The gateway's YAML configuration file.")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig c;
      try {
        c = GatewayConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_CONFIG;
      }
      GatewayApp app;
      try {
        app = GatewayApp.start(c, Clock.systemUTC());
      } catch (RuntimeException e) {
        err.println("The gateway could not start: " + e.getMessage());
        err.flush();
        return CANNOT_START;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.close();
        stopped.countDown();
      }, "sangfroid-shutdown"));
      String base = "http://" + host(c.http().bind()) + ":" + app.httpPort();
      out.println("Sangfroid gateway running.");
      out.println("  API:     " + base + "/api/units");
      out.println("  Health:  " + base + "/api/health");
      out.println("  Metrics: " + base + "/metrics");
      out.println("  MQTT:    " + app.brokerUrl());
      out.println("Stop with Ctrl-C.");
      out.flush();
      stopped.await();
      return 0;
    }

    private static String host(String bind) {
      if (Set.of("0.0.0.0", "::", "[::]").contains(bind)) {
        return "localhost";
      }
      return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = {"Checks a configuration file without starting anything.",
          "Lists every problem as file:line: what, or prints a short summary."})
  static final class CheckConfig implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The gateway's YAML configuration file.")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig c;
      try {
        c = GatewayConfig.load(file);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + " in " + file);
        err.flush();
        return BAD_CONFIG;
      }
      Fleet fleet = c.fleet();
      out.println("OK: " + file + ": " + count(fleet.sites().size(), "site") + ", "
          + count(fleet.agents().size(), "agent") + ", " + count(fleet.units().size(), "unit") + ".");
      out.println("  data:   " + c.dataDir());
      out.println("  HTTP:   " + c.http().bind() + ":" + c.http().port());
      if (c.broker() instanceof Embedded e) {
        out.println("  MQTT:   embedded broker on " + e.bind() + ":" + e.port());
      } else if (c.broker() instanceof External x) {
        out.println("  MQTT:   external broker " + x.url() + x.username().map(u -> " as " + u).orElse(""));
      }
      out.println("  tick:   " + c.engine().tick().toSeconds() + " s");
      out.flush();
      return 0;
    }

    private static String count(int n, String noun) {
      return n + " " + noun + (n == 1 ? "" : "s");
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GatewayMain.class.getPackage().getImplementationVersion();
      return new String[] {"sangfroid-gateway " + (v == null ? "(development build)" : v)};
    }
  }
}
