package org.sangfroid.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.sangfroid.agent.EdgeAgent;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.time.ScaledClock;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.simulator.SimulatedSite;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole site on one computer: the gateway with its embedded broker and SQLite file, a
 * simulated blood bank writing a 1-Wire tree, and a real edge agent reading it. It writes the
 * three configuration files into its folder first, so what runs is exactly what a user would
 * configure, and they can be read afterwards.
 */
public final class Demo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  /** The red-cell fridge whose door is left open. */
  public static final String FRIDGE = "rbc-fridge-1";
  public static final String FREEZER = "ffp-freezer-1";
  public static final String INCUBATOR = "plt-incubator-1";
  static final String SITE = "demo-centre";
  static final String AGENT = "agent-01";

  /**
   * How to run the demo.
   *
   * @param dir folder for the configuration files, databases and the simulated 1-Wire tree
   * @param httpPort the gateway's HTTP port (0 = any free port)
   * @param speed how many times faster than real time everything runs (1 = real time)
   * @param doorOpenAt simulated time after start at which the fridge door is left open
   */
  public record Options(Path dir, int httpPort, double speed, Duration doorOpenAt) {}

  private final Options options;
  private final Clock clock;
  private GatewayApp gateway;
  private SimulatedSite site;
  private EdgeAgent agent;

  private Demo(Options options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  /** Writes the configuration files and starts gateway, simulated site and agent. */
  public static Demo start(Options options) throws IOException {
    Clock clock = ScaledClock.start(Instant.now(), options.speed());
    Demo demo = new Demo(options, clock);
    try {
      demo.startAll();
    } catch (IOException | RuntimeException e) {
      demo.close();
      throw e;
    }
    return demo;
  }

  private void startAll() throws IOException {
    Path dir = options.dir();
    Files.createDirectories(dir);
    Path w1 = dir.resolve("w1-devices");

    Path simulatorYaml = write(dir.resolve("simulator.yaml"), simulatorConfig(w1));
    site = SimulatedSite.start(SimulatorConfig.load(simulatorYaml), clock);

    Path gatewayYaml = write(dir.resolve("gateway.yaml"), gatewayConfig(dir.resolve("gateway-data")));
    gateway = GatewayApp.start(GatewayConfig.load(gatewayYaml), clock);

    Path agentYaml = write(dir.resolve("agent.yaml"), agentConfig(dir.resolve("agent-data"), w1));
    agent = EdgeAgent.start(AgentConfig.load(agentYaml), clock);
    LOG.info("Demo started in {}", dir);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** The agent samples every 10 s of demo time, and never faster than once a second. */
  private Duration agentTick() {
    long millis = Math.max(1000, (long) (10_000 / options.speed()));
    return Duration.ofMillis(millis - millis % 1000);
  }

  private String simulatorConfig(Path w1) {
    return """
        # The simulated blood bank: three units, each with a DS18B20 probe in a 1-Wire tree
        # that the agent reads as it would /sys/bus/w1/devices on a Raspberry Pi.
        seed: 42
        onewireDir: %s
        probes:
          - rom: 28-0000000000f1      # red-cell fridge
            kind: fridge
            failure:
              kind: door-open         # someone leaves the door open...
              at: %s                  # ...this long after the start
              duration: 30m
          - rom: 28-0000000000f2      # plasma freezer
            kind: freezer
          - rom: 28-0000000000f3      # platelet incubator
            kind: incubator
        """.formatted(w1.toAbsolutePath(), ConfigNode.human(options.doorOpenAt()));
  }

  private String gatewayConfig(Path data) {
    return """
        # The gateway: embedded MQTT broker on a free local port, SQLite in dataDir, HTTP API.
        dataDir: %s
        http:
          bind: 127.0.0.1
          port: %d
        broker:
          embedded:
            bind: 127.0.0.1
            port: 0
        sites:
          - id: %s
            name: Demo blood centre
            agents:
              - id: %s
                units:
                  - id: %s
                    name: Red cell fridge 1
                    profile: RBC_STORE_EU
                    # Shortened for the demo so the alarm shows within minutes; the profile's
                    # default delay is 5 minutes (a design default to approve, see the profile).
                    delay: 30s
                  - id: %s
                    name: Plasma freezer 1
                    profile: FFP_CRYO_EU
                  - id: %s
                    name: Platelet incubator 1
                    profile: PLT_STORE
        """.formatted(data.toAbsolutePath(), options.httpPort(), SITE, AGENT, FRIDGE, FREEZER, INCUBATOR);
  }

  private String agentConfig(Path data, Path w1) {
    return """
        # The edge agent: reads the probes, keeps every reading in its SQLite outbox until the
        # gateway confirms it is stored, and publishes over MQTT.
        site: %s
        agent: %s
        tick: %s
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        units:
          - id: %s
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0000000000f1
                type: ds18b20
          - id: %s
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-0000000000f2
                type: ds18b20
          - id: %s
            profile: PLT_STORE
            sensors:
              - id: 28-0000000000f3
                type: ds18b20
        """.formatted(SITE, AGENT, ConfigNode.human(agentTick()), data.toAbsolutePath(), gateway.brokerUrl(),
        w1.toAbsolutePath(), FRIDGE, FREEZER, INCUBATOR);
  }

  /** The gateway's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + gateway.httpPort());
  }

  /** The clock everything in the demo runs on. */
  public Clock clock() {
    return clock;
  }

  /** The running agent (for tests). */
  public EdgeAgent agent() {
    return agent;
  }

  /** Stops the agent, the simulated site and the gateway, in that order. */
  @Override
  public void close() {
    closeQuietly(agent, "agent");
    closeQuietly(site, "simulated site");
    closeQuietly(gateway, "gateway");
    agent = null;
    site = null;
    gateway = null;
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Stopping the {} failed: {}", what, e.toString());
    }
  }
}
