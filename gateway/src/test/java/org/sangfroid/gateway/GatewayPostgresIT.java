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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.TestDatabase;

/**
 * Issue #4, "Storage": the whole gateway (embedded broker, ingest, engine, API) configured with a
 * {@code database:} section keeps everything in PostgreSQL and nothing in its data directory, and
 * continues from it after a restart.
 */
class GatewayPostgresIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final List<Long> acks = new CopyOnWriteArrayList<>();
  private TestDatabase db;
  private GatewayConfig config;
  private GatewayApp app;
  private MqttClient agent;

  @BeforeEach
  void start() throws Exception {
    db = TestDatabase.create(TestDatabase.Vendor.POSTGRESQL, dir);
    config = GatewayConfig.load(Fixtures.postgresConfigFile(dir, db.database()));
    WebClient.addUser(config, "ana", Role.QM); // QM: it reads the audit trail too
    app = GatewayApp.start(config, clock);
  }

  @AfterEach
  void stop() throws MqttException {
    if (agent != null) {
      agent.disconnect();
      agent.close();
    }
    if (app != null) {
      app.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private void connectAgent() throws MqttException {
    agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    agent.connect(o);
    agent.subscribe(Topics.agent(SITE, AGENT, Topics.Kind.ACK), 1, (t, m) ->
        acks.add(((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo()));
  }

  private JsonNode get(String path) {
    return WebClient.login(app.httpPort(), "ana").getJson(path);
  }

  private long count(String sql) throws Exception {
    try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void gateway_onPostgres_storesAcksRaisesAlarmsAndContinuesAfterARestart() throws Exception {
    connectAgent();
    clock.set(T0.plus(Duration.ofMinutes(9)));
    agent.publish(readingsTopic(), batch(reading(1, 0, FRIDGE, 4.0), reading(2, 3, FRIDGE, 7.0),
        reading(3, 8, FRIDGE, 7.3)), 1, false);
    await().atMost(WAIT).until(() -> acks.contains(3L));

    assertThat(count("SELECT count(*) FROM readings")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM alarms WHERE kind = 'HIGH_TEMPERATURE'")).isEqualTo(1);
    assertThat(Files.exists(config.dataDir().resolve(GatewayApp.DATABASE))).as("no SQLite file beside it").isFalse();

    agent.disconnect();
    agent.close();
    agent = null;
    app.close();
    app = GatewayApp.start(config, clock);
    connectAgent();
    acks.clear();
    agent.publish(readingsTopic(), batch(reading(4, 9, FRIDGE, 7.1)), 1, false);

    await().atMost(WAIT).until(() -> acks.contains(4L));
    assertThat(get("/api/alarms")).extracting(a -> a.get("kind").asText()).contains("HIGH_TEMPERATURE");
    assertThat(get("/api/units").get(0).get("lastReading").get("value").asDouble()).isEqualTo(7.1);
    assertThat(get("/api/audit")).extracting(e -> e.get("action").asText())
        .filteredOn("config.loaded"::equals).hasSize(2);
    JsonNode verify = get("/api/audit/verify");
    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.get("entries").asLong()).isEqualTo(count("SELECT count(*) FROM audit_trail"));
  }
}
