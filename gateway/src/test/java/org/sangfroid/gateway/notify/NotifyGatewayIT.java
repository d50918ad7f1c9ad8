package org.sangfroid.gateway.notify;

import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.user.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.config.GatewayConfig;

/** The gateway, configured with a webhook, notifies an excursion that arrives over MQTT. */
class NotifyGatewayIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private HttpServer hook;
  private GatewayApp app;

  @BeforeEach
  void start() throws Exception {
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      bodies.add(exchange.getRequestBody().readAllBytes());
      signatures.add(exchange.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
    Files.writeString(dir.resolve("hook.secret"), "gateway-hook-key\n");
    String yaml = Fixtures.YAML + """
        notify:
          webhooks:
            - url: http://127.0.0.1:%d/hook
              secretFile: hook.secret
        """.formatted(hook.getAddress().getPort());
    WebClient.addUser(GatewayConfig.parse("gateway.yaml", yaml, dir), "ana", Role.VIEWER);
    app = GatewayApp.start(GatewayConfig.parse("gateway.yaml", yaml, dir), clock);
  }

  @AfterEach
  void stop() {
    app.close();
    hook.stop(0);
  }

  @Test
  void excursion_overMqtt_isPostedSignedToTheWebhookWithTheAlarmsLink() throws Exception {
    MqttClient agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    agent.connect(o);
    try {
      clock.set(T0.plus(Duration.ofMinutes(9)));
      agent.publish(readingsTopic(), batch(reading(1, 3, FRIDGE, 7.0), reading(2, 8, FRIDGE, 7.3)), 1, false);

      await().atMost(WAIT).until(() -> bodies.stream().anyMatch(b -> kind(b).equals("HIGH_TEMPERATURE")));
    } finally {
      agent.disconnect();
      agent.close();
    }
    byte[] body = bodies.stream().filter(b -> kind(b).equals("HIGH_TEMPERATURE")).findFirst().orElseThrow();
    int i = bodies.indexOf(body);
    assertThat(signatures.get(i)).isEqualTo(
        WebhookNotifier.signature("gateway-hook-key".getBytes(StandardCharsets.UTF_8), body));
    JsonNode alarm = new ObjectMapper().readTree(body).get("alarm");
    assertThat(alarm.get("unit").asText()).isEqualTo(FRIDGE);
    assertThat(alarm.get("url").asText())
        .isEqualTo("http://127.0.0.1:" + app.httpPort() + "/api/alarms/" + alarm.get("id").asLong());
    HttpResponse<String> letters = WebClient.login(app.httpPort(), "ana").get("/api/notifications/dead-letters");
    assertThat(letters.statusCode()).isEqualTo(200);
    assertThat(letters.body()).isEqualTo("[]");
  }

  private static String kind(byte[] body) {
    try {
      return new ObjectMapper().readTree(body).get("alarm").get("kind").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
