package org.sangfroid.simulator.run;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.ingest.MqttLink;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Passwords;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;
import org.sangfroid.simulator.scenario.Scenario;

/**
 * The real gateway, started for one run on the simulation's clock ({@link
 * GatewayApp#startForSimulation}) against a given broker, with a configuration written from the
 * scenario into {@code dir/gateway.yaml}, so the run's record shows exactly what the gateway
 * was told.
 */
final class SimulationGateway implements AutoCloseable {
  private final GatewayApp app;
  private final GatewayClient api;

  /** The web user the run reads its results as: a viewer, with a password made for this run alone. */
  static final String USER = "simulator";

  private SimulationGateway(GatewayApp app, String password) {
    this.app = app;
    this.api = new GatewayClient("http://127.0.0.1:" + app.httpPort(), USER, password);
  }

  /**
   * Writes the configuration and starts the gateway; its database lives in {@code dir/gateway-data}
   * (which must not hold an earlier run's).
   */
  static SimulationGateway start(Scenario scenario, Path dir, String brokerUrl, Clock clock)
      throws IOException, MqttException {
    forgetSession(brokerUrl);
    Path yaml = dir.resolve("gateway.yaml");
    Files.writeString(yaml, configuration(scenario, brokerUrl), StandardCharsets.UTF_8);
    GatewayConfig config = GatewayConfig.load(yaml);
    String password = addUser(config, clock);
    return new SimulationGateway(GatewayApp.startForSimulation(config, clock), password);
  }

  /** Adds {@link #USER} to the run's new database; returns its password. */
  private static String addUser(GatewayConfig config, Clock clock) {
    String password = Passwords.random();
    try (GatewayStore store = GatewayStore.open(GatewayApp.database(config))) {
      Users.Added added = new Users(store, clock).add(AuditTrail.SYSTEM, "simulator", USER, Role.VIEWER, Language.EN,
          password.toCharArray());
      if (added instanceof Users.Refused r) {
        throw new IllegalStateException("cannot add the simulator's web user: " + r.problems());
      }
    }
    return password;
  }

  /**
   * A broker shared by several runs keeps the gateway's persistent session (and any batch queued
   * for it): a clean connection under the gateway's client id ends it, so nothing of an earlier
   * run reaches this one.
   */
  private static void forgetSession(String brokerUrl) throws MqttException {
    try (MqttClient c = new MqttClient(brokerUrl, MqttLink.CLIENT_ID, new MemoryPersistence())) {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      c.connect(o);
      c.disconnect();
    }
  }

  /** The gateway's YAML for {@code scenario}: its sites, agents and units with their overrides. */
  static String configuration(Scenario scenario, String brokerUrl) {
    StringBuilder y = new StringBuilder();
    y.append(ScenarioSession.MARK).append(" for scenario: ").append(scenario.name().replace('\n', ' '))
        .append("\ndataDir: gateway-data\nhttp:\n  port: 0\nbroker:\n  url: ").append(brokerUrl)
        .append("\nengine:\n  tick: ").append(ConfigNode.human(min(scenario.tick(), Duration.ofHours(1))))
        .append("    # not scheduled: the simulator runs each tick at the virtual time\nsites:\n");
    for (Scenario.Site s : scenario.sites()) {
      y.append("  - id: ").append(s.id()).append("\n    name: ").append(quote(s.name())).append("\n    agents:\n");
      for (Scenario.Agent a : s.agents()) {
        y.append("      - id: ").append(a.id()).append("\n        units:\n");
        for (Scenario.Unit u : a.units()) {
          y.append("          - id: ").append(u.id()).append("\n            name: ").append(quote(u.name()))
              .append("\n            profile: ").append(u.profile()).append('\n');
          u.delay().ifPresent(d -> y.append("            delay: ").append(ConfigNode.human(d)).append('\n'));
          u.hysteresis().ifPresent(h -> y.append("            hysteresis: ")
              .append(String.format(Locale.ROOT, "%s", h)).append('\n'));
          u.monitoringLostAfter().ifPresent(d -> y.append("            monitoringLostAfter: ")
              .append(ConfigNode.human(d)).append('\n'));
          u.rateOfChange().ifPresent(r -> y.append("            rateOfChange:\n              perHour: ")
              .append(String.format(Locale.ROOT, "%s", r.perHour())).append("\n              window: ")
              .append(ConfigNode.human(r.window())).append("\n              hysteresis: ")
              .append(String.format(Locale.ROOT, "%s", r.hysteresis())).append('\n'));
          u.transitTime().ifPresent(d -> y.append("            transitTime: ").append(ConfigNode.human(d))
              .append('\n'));
        }
      }
    }
    return y.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Runs one engine tick at the clock's time. */
  void tick() {
    app.runTick();
  }

  /** The gateway's API. */
  GatewayClient api() {
    return api;
  }

  /** Readings the gateway newly stored since it started. */
  long stored() {
    Counter c = app.meters().find("sangfroid.ingest.readings.stored").counter();
    return c == null ? 0 : (long) c.count();
  }

  @Override
  public void close() {
    app.close();
  }
}
