package org.sangfroid.gateway;

import org.sangfroid.gateway.user.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sangfroid.gateway.Fixtures.AGENT;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.SITE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.sangfroid.gateway.config.GatewayConfig;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/** The gateway with its embedded broker, driven by an "agent" that is a plain Paho client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayAppIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACK_TOPIC = Topics.agent(SITE, AGENT, Topics.Kind.ACK);

  @TempDir static Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private GatewayApp app;
  private MqttClient agent;
  private final List<MqttMessage> acks = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startGateway() {
    WebClient.addUser(Fixtures.config(dir), "ana", Role.QM); // QM: it reads the audit trail too
    app = GatewayApp.start(Fixtures.config(dir), clock);
  }

  @AfterAll
  void stopGateway() {
    app.close();
  }

  @BeforeEach
  void connectAgent() throws MqttException {
    acks.clear();
    agent = client("agent-01");
    agent.subscribe(ACK_TOPIC, 1, (t, m) -> acks.add(m));
  }

  @AfterEach
  void disconnectAgent() throws MqttException {
    agent.disconnect();
    agent.close();
  }

  private MqttClient client(String id) throws MqttException {
    MqttClient c = new MqttClient(app.brokerUrl(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    return c;
  }

  private static long upTo(MqttMessage m) {
    return ((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo();
  }

  private void awaitAck(long upTo) {
    await().atMost(WAIT).until(() -> acks.stream().anyMatch(m -> upTo(m) == upTo));
  }

  /** As a viewer, logged in for this call (the tests move the clock past the session's timeout). */
  private JsonNode get(String path) {
    return WebClient.login(app.httpPort(), "ana").getJson(path);
  }

  @Test
  @Order(1)
  void agentBatch_overTheBroker_isStoredAckedRetainedAndShownByTheApi() throws Exception {
    clock.set(T0.plusSeconds(90));
    agent.publish(readingsTopic(), batch(reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 4.4)), 1, false);

    awaitAck(2);
    List<MqttMessage> retained = new CopyOnWriteArrayList<>();
    MqttClient late = client("agent-01-restarted");
    late.subscribe(ACK_TOPIC, 1, (t, m) -> retained.add(m));
    await().atMost(WAIT).until(() -> !retained.isEmpty());
    late.disconnect();
    late.close();

    assertThat(retained.get(0).isRetained()).isTrue();
    assertThat(upTo(retained.get(0))).isEqualTo(2);
    JsonNode fridge = get("/api/units").get(0);
    assertThat(fridge.get("id").asText()).isEqualTo(FRIDGE);
    assertThat(fridge.get("lastReading").toString())
        .isEqualTo("{\"t\":\"2026-11-23T10:01:00Z\",\"value\":4.4,\"quality\":\"ok\"}");
    assertThat(fridge.get("state").asText()).isEqualTo("ok");
    assertThat(get("/api/health").get("broker").asText()).isEqualTo("connected");
  }

  @Test
  @Order(2)
  void badMessage_overTheBroker_isRejectedCountedAndTheNextBatchStillStored() throws Exception {
    agent.publish(readingsTopic(), "{not json".getBytes(StandardCharsets.UTF_8), 1, false);
    agent.publish(readingsTopic(), batch(reading(3, 2, FRIDGE, 4.2)), 1, false);

    awaitAck(3);

    assertThat(app.meters().get("sangfroid.ingest.rejected").tag("reason", "malformed").counter().count())
        .isEqualTo(1);
  }

  @Test
  @Order(3)
  void excursion_overTheBroker_publishesTheAlarmEventAndTheGatewaySaysOnline() throws Exception {
    List<MqttMessage> events = new CopyOnWriteArrayList<>();
    List<MqttMessage> state = new CopyOnWriteArrayList<>();
    MqttClient watcher = client("watcher");
    watcher.subscribe(Topics.alarms(SITE, FRIDGE), 1, (t, m) -> events.add(m));
    watcher.subscribe(Topics.gatewayState(), 1, (t, m) -> state.add(m));

    clock.set(T0.plus(Duration.ofMinutes(9)));
    agent.publish(readingsTopic(), batch(reading(4, 3, FRIDGE, 7.0), reading(5, 8, FRIDGE, 7.3)), 1, false);

    await().atMost(WAIT).until(() -> !events.isEmpty() && !state.isEmpty());
    watcher.disconnect();
    watcher.close();
    JsonNode event = JSON.readTree(events.get(0).getPayload());
    assertThat(event.get("event").asText()).isEqualTo("raised");
    assertThat(event.get("kind").asText()).isEqualTo("HIGH_TEMPERATURE");
    assertThat(event.get("startedAt").asLong()).isEqualTo(T0.plus(Duration.ofMinutes(3)).toEpochMilli());
    assertThat(new String(state.get(0).getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"state\":\"online\"}");
    // The fridge profile also has a warning band at +5.5 °C: both are active.
    assertThat(get("/api/alarms")).extracting(a -> a.get("kind").asText())
        .containsExactlyInAnyOrder("HIGH_TEMPERATURE", "HIGH_WARNING");
  }

  @Test
  @Order(4)
  void gateway_restartedOnTheSameDataDir_continuesWithItsReadingsWatermarkAndAlarms() throws Exception {
    agent.disconnect();
    agent.close();
    app.close();
    // restarted with a site override changed: the fridge's delay
    app = GatewayApp.start(GatewayConfig.parse("gateway.yaml", Fixtures.YAML.replace(
        "profile: RBC_STORE_EU\n", "profile: RBC_STORE_EU\n            delay: 10m\n"), dir), clock);
    connectAgent();

    agent.publish(readingsTopic(), batch(reading(5, 8, FRIDGE, 7.3)), 1, false); // a duplicate

    awaitAck(5);
    assertThat(get("/api/alarms")).extracting(a -> a.get("kind").asText()).contains("HIGH_TEMPERATURE");
    assertThat(get("/api/units").get(0).get("lastReading").get("value").asDouble()).isEqualTo(7.3);
    assertThat(app.meters().get("sangfroid.ingest.readings.duplicate").counter().count()).isEqualTo(1);
    // issue 4: each start records its configuration, and the chain goes on across the restart
    assertThat(get("/api/audit")).extracting(e -> e.get("action").asText()).containsSubsequence(
        "config.loaded", "alarm.raised", "config.loaded", "unit.settings.changed")
        .filteredOn("config.loaded"::equals).hasSize(2);
    JsonNode change = StreamSupport.stream(get("/api/audit").spliterator(), false)
        .filter(e -> e.get("action").asText().equals("unit.settings.changed")).findFirst().orElseThrow();
    assertThat(change.get("subject").asText()).as("only the unit whose override changed").isEqualTo("unit/" + FRIDGE);
    assertThat(change.get("details").toString()).contains("PT5M").contains("PT10M");
    assertThat(get("/api/audit/verify").get("ok").asBoolean()).isTrue();
  }
}
