package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP server on loopback. */
class WebhookNotifierIT {
  private static final byte[] SECRET = "s3cret-key".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(204);

  record Received(String method, String contentType, String signature, byte[] body) {}

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER), body));
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WebhookNotifier notifier() {
    return new WebhookNotifier(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), SECRET,
        WebhookNotifier.client());
  }

  @Test
  void deliver_raisedAlarm_postsSignedJson() throws Exception {
    notifier().deliver(Notification.of(NotifyFixtures.raised(), NotifyFixtures.API));

    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.contentType()).isEqualTo("application/json");
      assertThat(r.signature()).as("the receiver recomputes the HMAC with the shared secret")
          .isEqualTo("sha256=" + hmacSha256Hex(SECRET, r.body()));
    });
    JsonNode json = new ObjectMapper().readTree(received.get(0).body());
    assertThat(json.get("v").asInt()).isEqualTo(1);
    assertThat(json.get("event").asText()).isEqualTo("raised");
    JsonNode a = json.get("alarm");
    assertThat(a.get("id").asLong()).isEqualTo(12);
    assertThat(a.get("site").asText()).isEqualTo("demo-centre");
    assertThat(a.get("unit").asText()).isEqualTo("rbc-fridge-1");
    assertThat(a.get("kind").asText()).isEqualTo("HIGH_TEMPERATURE");
    assertThat(a.get("state").asText()).isEqualTo("ACTIVE");
    assertThat(a.get("startedAt").asText()).isEqualTo("2026-11-23T10:03:00Z");
    assertThat(a.get("raisedAt").asText()).isEqualTo("2026-11-23T10:08:00Z");
    assertThat(a.get("clearedAt").isNull()).isTrue();
    assertThat(a.get("triggerValue").asDouble()).isEqualTo(7.2);
    assertThat(a.get("limit").asDouble()).isEqualTo(6.0);
    assertThat(a.get("peak").asDouble()).isEqualTo(7.5);
    assertThat(a.get("late").asBoolean()).isTrue();
    assertThat(a.get("url").asText()).isEqualTo("http://gw.example:8080/api/alarms/12");
  }

  @Test
  void deliver_non2xx_throwsWithTheStatus() {
    status.set(500);

    assertThatThrownBy(() -> notifier().deliver(Notification.of(NotifyFixtures.raised(), NotifyFixtures.API)))
        .isInstanceOf(DeliveryException.class).hasMessageEndingWith("/hook: HTTP 500");
  }

  /** An independent HMAC, as a receiver would write it. */
  private static String hmacSha256Hex(byte[] key, byte[] body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    return java.util.HexFormat.of().formatHex(mac.doFinal(body));
  }
}
