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

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.gateway.config.GatewayConfig;

/** The gateway on an external broker (here a standalone embedded one) that stops and comes back. */
class GatewayReconnectIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private String broker(GatewayApp app) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + app.httpPort() + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body()).get("broker").asText();
  }

  @Test
  void gateway_whenTheExternalBrokerRestarts_reconnectsResubscribesAndAcksAgain() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, dir.resolve("broker"));
    Files.writeString(dir.resolve("gateway.secret"), "not-checked-by-this-broker\n");
    GatewayConfig config = GatewayConfig.parse("gateway.yaml", Fixtures.YAML.replace("""
        broker:
          embedded:
            port: 0
        """, """
        broker:
          url: %s
          username: gateway
          passwordFile: gateway.secret
        """.formatted(broker.url())), dir);
    MutableClock clock = new MutableClock(T0);
    try (GatewayApp app = GatewayApp.start(config, clock)) {
      assertThat(app.brokerUrl()).isEqualTo(broker.url());
      assertThat(broker(app)).isEqualTo("connected");

      broker.close();
      await().atMost(WAIT).until(() -> broker(app).equals("disconnected"));
      broker = EmbeddedBroker.start("127.0.0.1", broker.port(), dir.resolve("broker"));
      await().atMost(WAIT).until(() -> broker(app).equals("connected"));

      List<Long> acks = new CopyOnWriteArrayList<>();
      MqttClient agent = new MqttClient(broker.url(), "agent-01", new MemoryPersistence());
      agent.connect(new MqttConnectOptions());
      agent.subscribe(Topics.agent(SITE, AGENT, Topics.Kind.ACK), 1,
          (t, m) -> acks.add(((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo()));
      agent.publish(readingsTopic(), batch(reading(1, 0, FRIDGE, 4.0)), 1, false);
      await().atMost(WAIT).until(() -> acks.contains(1L));
      agent.disconnect();
      agent.close();
      assertThat(app.meters().get("sangfroid.mqtt.connects").counter().count()).isEqualTo(2);
    } finally {
      broker.close();
    }
  }
}
