package org.sangfroid.gateway;

import org.sangfroid.gateway.user.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.INCUBATOR;
import static org.sangfroid.gateway.Fixtures.SITE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.config.GatewayConfig;

/**
 * Issue 4, acceptance 5: the gateway's embedded broker with agent logins. The "agents" are Paho
 * clients connecting as the edge agent does (MQTT 3.1.1, client id sangfroid-agent-SITE-AGENT,
 * persistent session, last will on its status). Passwords: test resource broker/mosquitto-passwd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayLoginIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private final MutableClock clock = new MutableClock(T0.plusSeconds(90));
  private GatewayApp app;

  @BeforeAll
  void startGateway() throws Exception {
    Files.copy(Path.of("src/test/resources/broker/mosquitto-passwd"), dir.resolve("passwd"));
    String yaml = Fixtures.YAML.replace("""
          embedded:
            port: 0
        """, """
          embedded:
            port: 0
            passwordFile: passwd
        """);
    WebClient.addUser(GatewayConfig.parse("gateway.yaml", yaml, dir), "ana", Role.VIEWER);
    app = GatewayApp.start(GatewayConfig.parse("gateway.yaml", yaml, dir), clock);
  }

  @AfterAll
  void stopGateway() {
    app.close();
  }

  private MqttClient agent(String agent, String password) throws MqttException {
    MqttClient c = new MqttClient(app.brokerUrl(), "sangfroid-agent-" + SITE + "-" + agent, new MemoryPersistence());
    c.connect(options(SITE + "/" + agent, password, agent));
    return c;
  }

  private static MqttConnectOptions options(String user, String password, String agent) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(false);
    o.setUserName(user);
    o.setPassword(password.toCharArray());
    o.setWill(Topics.agent(SITE, agent, Topics.Kind.STATUS), WireCodec.encode(AgentStatus.lastWill()), 1, true);
    return o;
  }

  private static void close(MqttClient c) throws MqttException {
    if (c.isConnected()) {
      c.disconnect();
    }
    c.close();
  }

  private static long upTo(MqttMessage m) {
    return ((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo();
  }

  private JsonNode unit(String id) throws Exception {
    for (JsonNode u : WebClient.login(app.httpPort(), "ana").getJson("/api/units")) {
      if (u.get("id").asText().equals(id)) {
        return u;
      }
    }
    throw new AssertionError("no unit " + id + " in /api/units");
  }

  private double counter(String name, String tag, String value) {
    return app.meters().get(name).tag(tag, value).functionCounter().count();
  }

  @Test
  void agentWithValidCredentials_cannotPublishAsAnotherAgent_itsOwnReadingsAreStored() throws Exception {
    MqttClient agent01 = agent("agent-01", "agent-01-secret");
    List<MqttMessage> acks = new CopyOnWriteArrayList<>();
    agent01.subscribe(Topics.agent(SITE, "agent-01", Topics.Kind.ACK), 1, (t, m) -> acks.add(m));

    // Its own readings: stored and acked, through the gateway's own login on the same broker.
    agent01.publish(Topics.agent(SITE, "agent-01", Topics.Kind.READINGS), batch(reading(1, 0, FRIDGE, 4.0)), 1,
        false);
    await().atMost(WAIT).until(() -> acks.stream().anyMatch(m -> upTo(m) == 1));
    assertThat(unit(FRIDGE).get("lastReading").get("value").asDouble()).isEqualTo(4.0);

    // Readings of agent-02's incubator, topic and payload both naming agent-02: refused by the broker.
    assertThatThrownBy(() -> agent01.publish(Topics.agent(SITE, "agent-02", Topics.Kind.READINGS),
        batch(SITE, "agent-02", reading(1, 0, INCUBATOR, 30.0)), 1, false)).isInstanceOf(MqttException.class);
    await().atMost(WAIT).until(() -> !agent01.isConnected());
    close(agent01);
    assertThat(counter("sangfroid.broker.refused", "what", "publish")).isEqualTo(1);

    // agent-02's own batch is stored: the ingest is live, and the forged 30 °C never reached it.
    MqttClient agent02 = agent("agent-02", "agent-02-secret");
    List<MqttMessage> acks02 = new CopyOnWriteArrayList<>();
    agent02.subscribe(Topics.agent(SITE, "agent-02", Topics.Kind.ACK), 1, (t, m) -> acks02.add(m));
    agent02.publish(Topics.agent(SITE, "agent-02", Topics.Kind.READINGS),
        batch(SITE, "agent-02", reading(1, 1, INCUBATOR, 22.0)), 1, false);
    await().atMost(WAIT).until(() -> acks02.stream().anyMatch(m -> upTo(m) == 1));
    close(agent02);
    assertThat(unit(INCUBATOR).get("lastReading").get("value").asDouble()).isEqualTo(22.0);
    assertThat(app.meters().get("sangfroid.ingest.readings.stored").counter().count()).isEqualTo(2);
    assertThat(app.meters().get("sangfroid.ingest.readings.duplicate").counter().count()).isZero();
  }

  @Test
  void agentWithAWrongPassword_isRefusedAtConnect_andCounted() throws Exception {
    double before = counter("sangfroid.broker.refused", "what", "login");

    assertThatThrownBy(() -> agent("agent-01", "agent-02-secret")).isInstanceOfSatisfying(MqttException.class,
        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));

    assertThat(counter("sangfroid.broker.refused", "what", "login")).isEqualTo(before + 1);
  }
}
