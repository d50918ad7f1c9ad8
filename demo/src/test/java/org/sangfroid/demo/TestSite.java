package org.sangfroid.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.agent.EdgeAgent;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.simulator.SimulatedSite;
import org.sangfroid.simulator.config.SimulatorConfig;

/**
 * One test site on real parts, in a temporary folder: the demo's configuration files, a
 * simulated 1-Wire tree, a gateway, and an agent in this JVM or in a child process.
 */
final class TestSite implements AutoCloseable {
  static final List<String> UNITS = List.of(SiteConfigs.FRIDGE, SiteConfigs.FREEZER, SiteConfigs.INCUBATOR);

  final Path dir;
  final Path w1;
  final Path agentData;
  private final Path gatewayYaml;
  private Path agentYaml;
  private SimulatedSite simulator;
  GatewayApp gateway;
  EdgeAgent agent;
  GatewayApi api;
  private WebLogin login;

  TestSite(Path dir, String brokerSection) {
    this.dir = dir;
    this.w1 = dir.resolve("w1");
    this.agentData = dir.resolve("agent-data");
    try {
      Files.createDirectories(dir);
      simulator = SimulatedSite.start(SimulatorConfig.load(
          Demo.write(dir.resolve("simulator.yaml"), SiteConfigs.simulator(w1, null))), Clock.systemUTC());
      gatewayYaml = Demo.write(dir.resolve("gateway.yaml"),
          SiteConfigs.gateway(dir.resolve("gateway-data"), 0, brokerSection, Duration.ofMinutes(5)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (or restarts) the gateway on the same data folder. */
  void startGateway() {
    GatewayConfig config = GatewayConfig.load(gatewayYaml);
    if (login == null) {
      login = WebLogin.create(config, "tester", Role.VIEWER, "test");
    }
    gateway = GatewayApp.start(config, Clock.systemUTC());
    api = new GatewayApi(gateway.httpPort(), login);
  }

  void stopGateway() {
    gateway.close();
    gateway = null;
  }

  /** Writes agent.yaml for this broker, sampling every second. */
  Path agentConfig(String brokerUrl, Clock clock) {
    try {
      agentYaml = Demo.write(dir.resolve("agent.yaml"), SiteConfigs.agent(agentData, w1, brokerUrl, Duration.ofSeconds(1)));
      return agentYaml;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes agent.yaml, sampling every second, with {@code brokerSection} (a whole top-level
   * {@code broker:} mapping: url, username, passwordFile) instead of a bare URL.
   */
  Path agentConfigWithBroker(String brokerSection) {
    String placeholder = "tcp://broker.invalid:1883";
    String yaml = SiteConfigs.agent(agentData, w1, placeholder, Duration.ofSeconds(1));
    String urlOnly = "broker:\n  url: " + placeholder + "\n";
    if (!yaml.contains(urlOnly)) {
      throw new IllegalStateException("SiteConfigs.agent no longer writes [" + urlOnly + "]");
    }
    try {
      agentYaml = Demo.write(dir.resolve("agent.yaml"), yaml.replace(urlOnly, brokerSection.strip() + "\n"));
      return agentYaml;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void startAgent(Clock clock) {
    agent = EdgeAgent.start(AgentConfig.load(agentYaml), clock);
  }

  void stopAgent() {
    agent.close();
    agent = null;
  }

  /** Starts the agent as a child process running the packaged jars, as in production. */
  Process startAgentProcess() {
    Path lib = Path.of("target", "lib").toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");
    try {
      return new ProcessBuilder(java, "-Xmx64m", "-cp", lib + "/*", "org.sangfroid.agent.AgentMain", "run",
          "--config", agentYaml.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent-process.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills a child process with SIGKILL and waits for it to be gone. */
  static void kill(Process p) {
    p.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !p.isAlive());
  }

  /**
   * What the agent's outbox says, read from its SQLite file while no agent runs: the highest
   * sequence number it ever gave a reading, and the readings still waiting for an ack.
   */
  record OutboxFile(long lastSeq, List<Long> waiting) {}

  OutboxFile outbox() {
    Path db = agentData.resolve("outbox.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      long last = 0;
      try (ResultSet rs = s.executeQuery("SELECT max(seq) FROM sqlite_sequence")) {
        if (rs.next()) {
          last = rs.getLong(1);
        }
      }
      List<Long> waiting = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT seq FROM outbox ORDER BY seq")) {
        while (rs.next()) {
          waiting.add(rs.getLong(1));
        }
      }
      return new OutboxFile(last, waiting);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox " + db + ": " + e.getMessage(), e);
    }
  }

  /** How many readings the gateway has stored for this site. */
  int stored() {
    return api.seqs(UNITS).size();
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }
}
