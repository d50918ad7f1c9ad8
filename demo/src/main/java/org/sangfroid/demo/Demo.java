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
import org.sangfroid.core.time.ScaledClock;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.user.Role;
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
  private final Instant startedAt;
  private final Clock clock;
  private GatewayApp gateway;
  private WebLogin webLogin;
  private SimulatedSite site;
  private EdgeAgent agent;

  private Demo(Options options, Instant startedAt) {
    this.options = options;
    this.startedAt = startedAt;
    this.clock = ScaledClock.start(startedAt, options.speed());
  }

  /** Writes the configuration files and starts gateway, simulated site and agent. */
  public static Demo start(Options options) throws IOException {
    Demo demo = new Demo(options, Instant.now());
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

    Path simulatorYaml = write(dir.resolve("simulator.yaml"), SiteConfigs.simulator(w1, options.doorOpenAt()));
    site = SimulatedSite.start(SimulatorConfig.load(simulatorYaml), clock);

    Path gatewayYaml = write(dir.resolve("gateway.yaml"), SiteConfigs.gateway(dir.resolve("gateway-data"),
        options.httpPort(), SiteConfigs.EMBEDDED_BROKER, Duration.ofSeconds(30)));
    GatewayConfig gatewayConfig = GatewayConfig.load(gatewayYaml);
    webLogin = WebLogin.kept(gatewayConfig, dir.resolve("web-login.txt"), "demo", Role.ADMIN);
    gateway = GatewayApp.start(gatewayConfig, clock);

    Path agentYaml = write(dir.resolve("agent.yaml"),
        SiteConfigs.agent(dir.resolve("agent-data"), w1, gateway.brokerUrl(), agentTick()));
    agent = EdgeAgent.start(AgentConfig.load(agentYaml), clock);
    LOG.info("Demo started in {}", dir);
  }

  static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** The agent samples every 10 s of demo time, and never faster than once a second. */
  private Duration agentTick() {
    long millis = Math.max(1000, (long) (10_000 / options.speed()));
    return Duration.ofMillis(millis - millis % 1000);
  }

  /** The demo's login to the gateway's web app (an admin; kept in the folder's web-login.txt). */
  public WebLogin webLogin() {
    return webLogin;
  }

  /** The gateway's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + gateway.httpPort());
  }

  /** When the demo's clock started: the simulated site's time zero (the door opens after it). */
  public Instant startedAt() {
    return startedAt;
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
