package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with a password file, driven by real Paho clients (MQTT 3.1.1, as agents
 * and the gateway speak it). Passwords: see the test resource broker/mosquitto-passwd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedBrokerLoginIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String READINGS_01 = "sangfroid/v1/casa-01/agent-01/readings";
  private static final String READINGS_02 = "sangfroid/v1/casa-01/agent-02/readings";

  @TempDir static Path dir;
  private Path passwd;
  private EmbeddedBroker broker;
  private MqttClient gateway;
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    passwd = dir.resolve("passwd");
    // Every test vector but casa-01/agent-04: a test adds it while the broker runs.
    Files.write(passwd, Files.readAllLines(PasswordHashTest.VECTORS).stream()
        .filter(l -> !l.startsWith("casa-01/agent-04:")).collect(Collectors.toList()));
    broker = EmbeddedBroker.start("127.0.0.1", 0, dir.resolve("broker"), Optional.of(passwd));
    gateway = connect(broker.gatewayUsername().orElseThrow(), new String(broker.gatewayPassword().orElseThrow()),
        "sangfroid-gateway");
    clients.remove(gateway); // kept for the whole class
    gateway.subscribe("sangfroid/v1/+/+/readings", 1,
        (t, m) -> delivered.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
  }

  @AfterAll
  void stop() throws Exception {
    gateway.disconnect();
    gateway.close();
    broker.close();
  }

  @BeforeEach
  void clear() {
    delivered.clear();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (MqttClient c : clients) {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    }
    clients.clear();
  }

  private MqttClient connect(String user, String password, String clientId) throws MqttException {
    MqttClient c = new MqttClient(broker.url(), clientId, new MemoryPersistence());
    c.connect(options(user, password));
    clients.add(c);
    return c;
  }

  private static MqttConnectOptions options(String user, String password) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no silent retry with 3.1
    o.setCleanSession(true);
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.toCharArray());
    }
    return o;
  }

  /** The CONNACK return code of a refused CONNECT. */
  private int refusedWith(String user, String password, String clientId) throws MqttException {
    MqttClient c = new MqttClient(broker.url(), clientId, new MemoryPersistence());
    try {
      assertThatThrownBy(() -> c.connect(options(user, password))).isInstanceOf(MqttException.class);
      try {
        c.connect(options(user, password));
        return 0;
      } catch (MqttException e) {
        return e.getReasonCode();
      }
    } finally {
      c.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void agent_publishingItsOwnReadings_reachesTheGateway() throws Exception {
    MqttClient agent = connect("casa-01/agent-01", "agent-01-secret", "sangfroid-agent-casa-01-agent-01");

    agent.publish(READINGS_01, bytes("own"), 1, false);

    await().atMost(WAIT).until(() -> delivered.contains(READINGS_01 + " own"));
  }

  @Test
  void agent_publishingAsAnotherAgent_isDisconnected_countedAndNothingIsDelivered() throws Exception {
    long before = broker.refusedPublishes();
    MqttClient agent01 = connect("casa-01/agent-01", "agent-01-secret", "sangfroid-agent-casa-01-agent-01");

    assertThatThrownBy(() -> agent01.publish(READINGS_02, bytes("forged"), 1, false))
        .isInstanceOf(MqttException.class);

    await().atMost(WAIT).until(() -> !agent01.isConnected());
    assertThat(broker.refusedPublishes()).isEqualTo(before + 1);
    // agent-02 itself still gets through; the forged batch never does.
    connect("casa-01/agent-02", "agent-02-secret", "sangfroid-agent-casa-01-agent-02")
        .publish(READINGS_02, bytes("genuine"), 1, false);
    await().atMost(WAIT).until(() -> delivered.contains(READINGS_02 + " genuine"));
    assertThat(delivered).containsExactly(READINGS_02 + " genuine");
  }

  @Test
  void wrongPassword_unknownUser_andAnonymous_areRefusedAtConnect_andCounted() throws Exception {
    long before = broker.refusedLogins();

    assertThat(refusedWith("casa-01/agent-01", "agent-02-secret", "c1"))
        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(refusedWith("casa-01/agent-99", "agent-01-secret", "c2"))
        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(refusedWith(null, null, "c3")).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    assertThat(refusedWith(Logins.GATEWAY_USER, "for-mosquitto-only", "c4"))
        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(broker.refusedLogins()).isEqualTo(before + 8); // two tries each
  }

  @Test
  void agent_withTheGatewaysClientId_isRefused_andTheGatewayStaysConnected() throws Exception {
    assertThat(refusedWith("casa-01/agent-01", "agent-01-secret", "sangfroid-gateway"))
        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);

    assertThat(gateway.isConnected()).isTrue();
  }

  @Test
  void agent_subscribingToAnotherAgentsAck_isRefused_andGetsNothing_whileItsOwnAckArrives() throws Exception {
    long before = broker.refusedSubscriptions();
    gateway.publish("sangfroid/v1/casa-01/agent-02/ack", bytes("{\"upTo\":2}"), 1, true);
    gateway.publish("sangfroid/v1/casa-01/agent-01/ack", bytes("{\"upTo\":1}"), 1, true);
    MqttClient agent01 = connect("casa-01/agent-01", "agent-01-secret", "sangfroid-agent-casa-01-agent-01");
    List<String> got = new CopyOnWriteArrayList<>(); // Paho hands a message to every listener whose filter matches

    IMqttToken other = agent01.subscribeWithResponse("sangfroid/v1/casa-01/agent-02/ack", 1, (t, m) -> got.add(t));
    IMqttToken wildcard = agent01.subscribeWithResponse("sangfroid/v1/casa-01/+/ack", 1, (t, m) -> got.add(t));
    agent01.subscribe("sangfroid/v1/casa-01/agent-01/ack", 1, (t, m) -> got.add(t));

    assertThat(other.getGrantedQos()).containsExactly(0x80);
    assertThat(wildcard.getGrantedQos()).containsExactly(0x80);
    // Retained acks come right after a granted SUBACK: once agent-01's is here, agent-02's would be too.
    await().atMost(WAIT).until(() -> got.contains("sangfroid/v1/casa-01/agent-01/ack"));
    assertThat(got).containsOnly("sangfroid/v1/casa-01/agent-01/ack");
    assertThat(broker.refusedSubscriptions()).isEqualTo(before + 2);
    assertThat(agent01.isConnected()).isTrue();
  }

  @Test
  void agent_withALastWillOnAnotherAgentsStatus_isRefusedAtConnect() throws Exception {
    MqttClient c = new MqttClient(broker.url(), "sangfroid-agent-casa-01-agent-01", new MemoryPersistence());
    MqttConnectOptions o = options("casa-01/agent-01", "agent-01-secret");
    o.setWill("sangfroid/v1/casa-01/agent-02/status", bytes("{\"v\":1,\"online\":false}"), 1, true);
    try {
      assertThatThrownBy(() -> c.connect(o)).isInstanceOfSatisfying(MqttException.class,
          e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    } finally {
      c.close();
    }
  }

  @Test
  void passwordFile_withANewAgentLine_letsItLogInWithoutARestart() throws Exception {
    assertThat(refusedWith("casa-01/agent-04", "thousand-rounds", "c5"))
        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    String line = Files.readAllLines(PasswordHashTest.VECTORS).stream()
        .filter(l -> l.startsWith("casa-01/agent-04:")).findFirst().orElseThrow();

    Files.writeString(passwd, line + "\n", StandardOpenOption.APPEND);

    connect("casa-01/agent-04", "thousand-rounds", "sangfroid-agent-casa-01-agent-04")
        .publish("sangfroid/v1/casa-01/agent-04/readings", bytes("new agent"), 1, false);
    await().atMost(WAIT).until(() -> delivered.contains("sangfroid/v1/casa-01/agent-04/readings new agent"));
  }

  @Test
  void agent_removedFromThePasswordFile_isDisconnectedAtItsNextPublish() throws Exception {
    MqttClient agent03 = connect("casa-01/agent-03", "pässwörd-été", "sangfroid-agent-casa-01-agent-03");
    agent03.publish("sangfroid/v1/casa-01/agent-03/readings", bytes("before"), 1, false);
    await().atMost(WAIT).until(() -> delivered.contains("sangfroid/v1/casa-01/agent-03/readings before"));

    Files.write(passwd, Files.readAllLines(passwd).stream().filter(l -> !l.startsWith("casa-01/agent-03:"))
        .collect(Collectors.toList()));

    assertThatThrownBy(() -> agent03.publish("sangfroid/v1/casa-01/agent-03/readings", bytes("after"), 1, false))
        .isInstanceOf(MqttException.class);
    await().atMost(WAIT).until(() -> !agent03.isConnected());
    assertThat(refusedWith("casa-01/agent-03", "pässwörd-été", "c6"))
        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(delivered).doesNotContain("sangfroid/v1/casa-01/agent-03/readings after");
  }
}
