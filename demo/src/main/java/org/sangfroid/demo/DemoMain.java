package org.sangfroid.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sangfroid.gateway.web.ApiClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sangfroid demo}: runs a whole simulated site and shows what the gateway sees. */
@Command(
    name = "sangfroid demo",
    mixinStandardHelpOptions = true,
    versionProvider = DemoMain.Version.class,
    description = {
      "Runs a whole Sangfroid site on this computer: the gateway (with its MQTT broker and",
      "database), a simulated blood bank with a red-cell fridge, a plasma freezer and a",
      "platelet incubator, and a real edge agent reading their probes.",
      "",
      "Shortly after the start someone 'leaves the fridge door open': the fridge warms above",
      "+6 °C and an alarm appears in the gateway within three minutes. Press Ctrl-C to stop."
    })
public final class DemoMain implements Callable<Integer> {

  @Option(names = "--dir", paramLabel = "FOLDER",
      description = "Folder for the demo's configuration files and data (default: a new temporary folder).")
  Path dir;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "HTTP port of the gateway (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--speed", paramLabel = "N", defaultValue = "1",
      description = "Run N times faster than real time, e.g. 10 (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--door-open-at", paramLabel = "DURATION", defaultValue = "20s",
      converter = DurationConverter.class,
      description = "When the fridge door is left open, after the start (default: ${DEFAULT-VALUE}).")
  Duration doorOpenAt;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    // Before any logger exists: use the demo's quiet logging, not the components' own.
    System.setProperty("logback.configurationFile", "demo-logback.xml");
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!(speed > 0) || speed > 1000) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--speed [" + speed + "] must be a number from 0.1 to 1000.");
    }
    Path folder = dir != null ? dir : Files.createTempDirectory("sangfroid-demo-");
    out.println("Starting the Sangfroid demo in " + folder + " ...");
    Demo demo = Demo.start(new Demo.Options(folder, port, speed, doorOpenAt));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      out.println();
      out.println("Stopping: agent, simulated site, gateway ...");
      demo.close();
      out.println("Stopped. Data and configuration are kept in " + folder);
      stopped.countDown();
    }, "demo-shutdown"));
    URI base = demo.baseUrl();
    out.println();
    out.println("Sangfroid is running.");
    WebLogin login = demo.webLogin();
    out.println("  Web app (dashboard, alarm inbox): " + base.resolve("/"));
    out.println("    log in as " + login.name() + ", password " + login.password() + " (kept in "
        + folder.resolve("web-login.txt") + ")");
    out.println("  JSON API, once logged in:        " + base.resolve("/api/units") + ", " + base.resolve("/api/alarms"));
    out.println("  Health:                          " + base.resolve("/api/health"));
    out.println("  Configuration files:             " + folder.resolve("gateway.yaml") + ", agent.yaml, simulator.yaml");
    out.println();
    out.println("The red-cell fridge's door will be left open " + doorOpenAt.toSeconds()
        + " s after the start" + (speed == 1 ? "" : " (demo time, running " + speed + "x)")
        + "; watch it go into alarm. Ctrl-C stops the demo.");
    out.println();
    watch(demo, stopped, stopping);
    return 0;
  }

  /** Prints one status line every 10 s of real time until the demo stops. */
  private void watch(Demo demo, CountDownLatch stopped, AtomicBoolean stopping) throws InterruptedException {
    DateTimeFormatter hhmmss = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());
    ApiClient api = null;
    do {
      try {
        if (api == null) {
          api = ApiClient.login(demo.baseUrl(), demo.webLogin().name(), demo.webLogin().password(),
              Duration.ofSeconds(5));
        }
        JsonNode units = api.get("/api/units");
        JsonNode alarms = api.get("/api/alarms?state=active");
        List<String> parts = new ArrayList<>();
        for (JsonNode u : units) {
          JsonNode r = u.path("lastReading");
          String value = r.hasNonNull("value") ? String.format(Locale.ROOT, "%.1f °C", r.get("value").asDouble()) : "-- °C";
          parts.add(u.path("id").asText() + " " + value + " " + u.path("state").asText());
        }
        List<String> active = new ArrayList<>();
        for (JsonNode a : alarms) {
          active.add(a.path("kind").asText() + " on " + a.path("unit").asText() + " since "
              + hhmmss.format(Instant.parse(a.path("startedAt").asText())));
        }
        out.println(hhmmss.format(demo.clock().instant()) + "  " + String.join("  |  ", parts)
            + "  |  alarms: " + (active.isEmpty() ? "none" : String.join("; ", active)));
      } catch (Exception e) {
        if (!stopping.get()) {
          out.println("(the gateway does not answer: " + e + ")");
        }
      }
    } while (!stopped.await(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  /** Reads 20s, 5m, 2h or ISO-8601 durations. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return org.sangfroid.core.config.ConfigNode.parseDuration(value);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DemoMain.class.getPackage().getImplementationVersion();
      return new String[] {"Sangfroid demo " + (v == null ? "(development build)" : v)};
    }
  }
}
