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
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.config.GatewayConfig;

/**
 * The on-call chain and failing channels, through the whole gateway: real SMTP (GreenMail), a real
 * webhook server, MQTT into the embedded broker, and a restart on the same data directory.
 */
class EscalationIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private volatile int hookStatus = 200;
  private HttpServer hook;
  private GatewayApp app;

  @BeforeEach
  void start() throws Exception {
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(hookStatus, -1);
      exchange.close();
    });
    hook.start();
    Files.writeString(dir.resolve("hook.secret"), "gateway-hook-key\n");
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    hook.stop(0);
  }

  private GatewayConfig config(String giveUpAfter) {
    String yaml = """
        dataDir: ./data
        http:
          port: 0
        broker:
          embedded:
            port: 0
        engine:
          tick: 1s
        sites:
          - id: casa-01
            escalation:
              steps:
                - after: 15m
                  email: [oncall@casa.example]
                - after: 45m
                  email: [qm@casa.example]
              repeat: 1h
            agents:
              - id: agent-01
                units:
                  - id: rbc-fridge-1
                    profile: RBC_STORE_EU
                    monitoringLostAfter: 7d
        notify:
          email:
            smtp:
              host: 127.0.0.1
              port: %d
            from: sangfroid@casa.example
            to: [qa@casa.example]
          webhooks:
            - url: http://127.0.0.1:%d/hook
              secretFile: hook.secret
          retry:
            first: 100ms
            max: 200ms
            giveUpAfter: %s
        """.formatted(MAIL.getSmtp().getPort(), hook.getAddress().getPort(), giveUpAfter);
    return GatewayConfig.parse("gateway.yaml", yaml, dir);
  }

  private void excursion() throws Exception {
    MqttClient agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    agent.connect(o);
    try {
      clock.set(T0.plus(Duration.ofMinutes(9)));
      agent.publish(readingsTopic(), batch(reading(1, 3, FRIDGE, 7.0), reading(2, 8, FRIDGE, 7.3)), 1, false);
    } finally {
      agent.disconnect();
      agent.close();
    }
  }

  /** The subjects of the mails each recipient got, e.g. "oncall@casa.example: [Sangfroid] NOT ACK...". */
  private static List<String> mails() throws MessagingException {
    List<String> out = new java.util.ArrayList<>();
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      String to = Arrays.stream(m.getAllRecipients()).map(Address::toString).collect(Collectors.joining(","));
      out.add(to + ": " + m.getSubject());
    }
    return out;
  }

  private static long count(List<String> mails, String to, String subjectPart) {
    return mails.stream().filter(m -> m.startsWith(to + ":") && m.contains(subjectPart)).count();
  }

  @Test
  void unacknowledgedAlarm_escalatesStepByStep_acrossARestart_andStopsWhenAcknowledged() throws Exception {
    WebClient.addUser(config("24h"), "n.bennani", Role.QM);
    app = GatewayApp.start(config("24h"), clock);
    excursion();
    await().atMost(WAIT).until(() -> count(mails(), "qa@casa.example", "ALARM High temperature: rbc-fridge-1") == 1);
    assertThat(count(mails(), "oncall@casa.example", "NOT ACKNOWLEDGED")).as("not due before 15 min").isZero();

    clock.set(T0.plus(Duration.ofMinutes(9 + 15)));
    await().atMost(WAIT).until(() -> count(mails(), "oncall@casa.example", "NOT ACKNOWLEDGED (reminder 1)") == 1);
    assertThat(count(mails(), "qm@casa.example", "NOT ACKNOWLEDGED")).isZero();

    app.close(); // the gateway stops between two steps
    app = null;
    clock.set(T0.plus(Duration.ofMinutes(9 + 45)));
    app = GatewayApp.start(config("24h"), clock);

    await().atMost(WAIT).until(() -> count(mails(), "qm@casa.example", "NOT ACKNOWLEDGED (reminder 2)") == 1);
    assertThat(count(mails(), "oncall@casa.example", "NOT ACKNOWLEDGED")).as("step 1 not repeated by the restart")
        .isEqualTo(1);

    clock.set(T0.plus(Duration.ofMinutes(9 + 45 + 60)));
    await().atMost(WAIT).until(() -> count(mails(), "qm@casa.example", "NOT ACKNOWLEDGED (reminder 3)") == 1);

    long alarmId = alarmId("HIGH_TEMPERATURE");
    assertThat(post("/api/alarms/" + alarmId + "/acknowledge",
        "{\"comment\":\"Door was left open; closed it, checking products\"}"))
        .isEqualTo(200);
    int before = MAIL.getReceivedMessages().length;
    clock.set(T0.plus(Duration.ofHours(6)));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> count(mails(), "qm@casa.example", "NOT ACKNOWLEDGED") == 2);
    assertThat(MAIL.getReceivedMessages()).as("nothing more once acknowledged").hasSize(before);
    JsonNode audit = get("/api/audit?limit=1000");
    assertThat(audit.toString()).contains("alarm.escalated");
  }

  @Test
  void aWebhookThatKeepsFailing_raisesANotificationFailedAlarm_thatIsMailed() throws Exception {
    hookStatus = 500;
    WebClient.addUser(config("1s"), "n.bennani", Role.QM);
    app = GatewayApp.start(config("1s"), clock);
    excursion();
    await().atMost(WAIT).until(() -> count(mails(), "qa@casa.example", "ALARM High temperature:") == 1);

    clock.set(T0.plus(Duration.ofMinutes(10))); // past giveUpAfter for the webhook's retries
    await().atMost(WAIT).until(() -> count(mails(), "qa@casa.example", "ALARM Alarm notification failed: rbc-fridge-1") == 1);

    JsonNode letters = get("/api/notifications/dead-letters");
    assertThat(letters).isNotEmpty();
    assertThat(letters.get(0).get("channel").asText()).isEqualTo("webhook");
    assertThat(letters.get(0).get("lastError").asText()).contains("HTTP 500");
    assertThat(alarmId("NOTIFICATION_FAILED")).isPositive();
  }

  private long alarmId(String kind) throws Exception {
    for (JsonNode a : get("/api/alarms")) {
      if (a.get("kind").asText().equals(kind)) {
        return a.get("id").asLong();
      }
    }
    throw new AssertionError("no " + kind + " alarm in " + get("/api/alarms"));
  }

  /** As n.bennani, a quality manager, logged in for this call (the clock moves by hours). */
  private JsonNode get(String path) {
    return WebClient.login(app.httpPort(), "n.bennani").getJson(path);
  }

  private int post(String path, String json) {
    return WebClient.login(app.httpPort(), "n.bennani").post(path, json).statusCode();
  }
}
