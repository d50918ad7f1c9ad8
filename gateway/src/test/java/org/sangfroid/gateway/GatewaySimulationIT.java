package org.sangfroid.gateway;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.user.Role;

/** Issue 6: a gateway started for a simulation ticks only when asked, at the virtual clock's time. */
class GatewaySimulationIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void startForSimulation_noScheduledTick_runTickRaisesMonitoringLostAtVirtualTime() throws Exception {
    MutableClock clock = new MutableClock(T0);
    // The configured tick (1 s) would raise monitoring lost within a second if it were scheduled.
    GatewayConfig config = GatewayConfig.parse("gateway.yaml", Fixtures.YAML.replace("tick: 1h", "tick: 1s"), dir);
    WebClient.addUser(config, "vera", Role.VIEWER);
    try (GatewayApp app = GatewayApp.startForSimulation(config, clock)) {
      List<Long> acks = new CopyOnWriteArrayList<>();
      MqttClient agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      agent.connect(o);
      agent.subscribe(Topics.agent(SITE, AGENT, Topics.Kind.ACK), 1,
          (t, m) -> acks.add(((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo()));
      agent.publish(readingsTopic(), batch(reading(1, 0, FRIDGE, 4.0)), 1, false);
      await().atMost(WAIT).until(() -> acks.contains(1L));

      Instant virtualNow = T0.plus(Duration.ofMinutes(11));
      clock.set(virtualNow);

      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .as("no engine-tick thread: nothing ticks on its own")
          .doesNotContain("sangfroid-engine-tick");
      assertThat(alarms(app)).isEmpty();

      assertThat(app.runTick()).isTrue();

      JsonNode alarms = alarms(app);
      assertThat(alarms).hasSize(3) // every unit of the fleet: two had no reading at all
          .allSatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("MONITORING_LOST");
            assertThat(a.get("raisedAt").asText()).isEqualTo(virtualNow.toString());
          });
      assertThat(alarms).filteredOn(a -> a.get("unit").asText().equals(FRIDGE))
          .extracting(a -> a.get("startedAt").asText()).containsExactly(T0.toString());
      agent.disconnect();
      agent.close();
    }
  }

  private static JsonNode alarms(GatewayApp app) {
    return WebClient.login(app.httpPort(), "vera").getJson("/api/alarms");
  }
}
