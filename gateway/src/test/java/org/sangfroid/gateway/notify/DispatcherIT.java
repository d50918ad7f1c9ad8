package org.sangfroid.gateway.notify;

import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.TickLoop;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Email;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.IngestResult;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.web.WebApi;

/** Retries, dead letters and the ingest's independence, against real servers on loopback. */
class DispatcherIT {
  private static final byte[] SECRET = "hook-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(NotifyFixtures.RAISED);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** The statuses the webhook answers, in order; the last one is repeated. */
  private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
  private final List<Long> requestNanos = new CopyOnWriteArrayList<>();
  private volatile int lastStatus = 204;
  private HttpServer hook;
  private Dispatcher dispatcher;
  private GatewayStore store;

  @BeforeEach
  void start() throws IOException {
    store = GatewayStore.open(dir.resolve("gateway.db"));
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      requestNanos.add(System.nanoTime());
      Integer next = statuses.poll();
      int status = next != null ? next : lastStatus;
      lastStatus = status;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    hook.start();
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    store.close();
    hook.stop(0);
    meters.close();
  }

  private Channel webhook() {
    URI url = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
    return new Channel(Channel.WEBHOOK, url.toString(), new WebhookNotifier(url, SECRET, WebhookNotifier.client()));
  }

  private Dispatcher dispatcher(Channel channel, Duration giveUpAfter, Clock clock) {
    // delays of 50 ms doubling to 200 ms
    return new Dispatcher(List.of(channel), store, () -> NotifyFixtures.API,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), giveUpAfter, 0), clock,
        TickLoop.namedThreads("sangfroid-notify"), meters, Duration.ofSeconds(2)).start();
  }

  private double meter(String name) {
    return meters.find(name).tag("channel", "webhook").counter().count();
  }

  @Test
  void webhook_failingThenOk_isRetriedWithBackoffAndDelivered() {
    statuses.add(500);
    statuses.add(503);
    statuses.add(200);
    dispatcher = dispatcher(webhook(), Duration.ofHours(24), Clock.systemUTC()); // real retry delays

    QueueFixture.queue(store, dispatcher, QueueFixture.alarm(store, "rbc-fridge-1"));

    await().atMost(Duration.ofSeconds(10)).until(() -> meter("sangfroid.notify.delivered") == 1);
    assertThat(requestNanos).hasSize(3);
    assertThat(Duration.ofNanos(requestNanos.get(1) - requestNanos.get(0))).as("first retry after 50 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(Duration.ofNanos(requestNanos.get(2) - requestNanos.get(1))).as("second retry after 100 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(dispatcher.deadLetters()).isEmpty();
    assertThat(dispatcher.pending()).isZero();
    assertThat(meter("sangfroid.notify.failed")).isZero();
  }

  @Test
  void webhook_alwaysFailing_endsAsDeadLetterInTheApiAndTheMetric() throws Exception {
    lastStatus = 500;
    dispatcher = dispatcher(webhook(), Duration.ofHours(24), clock); // the fake clock decides when retries are due
    Fleet fleet = Fixtures.config(dir).fleet();
    try (WebApi api = WebApi.start("127.0.0.1", 0, fleet, store, meters, () -> true, clock,
            dispatcher::deadLetters)) {
      AlarmRow alarm = QueueFixture.alarm(store, "rbc-fridge-1");
      QueueFixture.queue(store, dispatcher, alarm);
      await().atMost(Duration.ofSeconds(10)).until(() -> requestNanos.size() >= 1);
      clock.advance(Duration.ofHours(1));
      dispatcher.wake();
      await().atMost(Duration.ofSeconds(10)).until(() -> requestNanos.size() >= 2);
      assertThat(dispatcher.deadLetters()).as("still retrying within giveUpAfter").isEmpty();

      clock.advance(Duration.ofHours(24));
      dispatcher.wake();

      await().atMost(Duration.ofSeconds(10)).until(() -> !dispatcher.deadLetters().isEmpty());
      assertThat(dispatcher.pending()).isZero();
      assertThat(meter("sangfroid.notify.failed")).isEqualTo(1);
      assertThat(meter("sangfroid.notify.delivered")).isZero();
      WebClient.addUser(store, "ana", Role.VIEWER, Language.EN);
      JsonNode letters = WebClient.login(api.port(), "ana").getJson("/api/notifications/dead-letters");
      assertThat(letters).hasSize(1);
      JsonNode l = letters.get(0);
      assertThat(l.get("channel").asText()).isEqualTo("webhook");
      assertThat(l.get("target").asText()).endsWith("/hook");
      assertThat(l.get("alarmId").asLong()).isEqualTo(alarm.id());
      assertThat(l.get("event").asText()).isEqualTo("raised");
      assertThat(l.get("firstAttempt").asText()).isEqualTo("2026-11-23T10:08:00Z");
      assertThat(l.get("lastError").asText()).endsWith("/hook: HTTP 500");
      assertThat(l.get("attempts").asInt()).isEqualTo(requestNanos.size());
      assertThat(get(api.port(), "/metrics"))
          .as("the name the Prometheus alert rules in deploy/observability expect")
          .contains("sangfroid_notify_failed_total{channel=\"webhook\"} 1.0");
    }
  }

  @Test
  void ingest_whileTheSmtpServerHangs_returnsAndTheAlarmWaitsForDelivery() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(blackhole.accept()); // never says hello: the SMTP client waits
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "test-smtp-blackhole");
      acceptor.setDaemon(true);
      acceptor.start();
      Email email = new Email("127.0.0.1", blackhole.getLocalPort(), false, Optional.empty(), Optional.empty(),
          "sangfroid@centre.example", List.of("qa@centre.example"));
      dispatcher = dispatcher(new Channel(Channel.EMAIL, "qa@centre.example",
          new EmailNotifier(email, Optional.empty(), clock)), Duration.ofHours(24), clock);
      Fleet fleet = Fixtures.config(dir).fleet();
      {
        Dispatcher d = dispatcher;
        Ingest ingest = new Ingest(fleet, store, new AlarmBook(meters, clock, d::queue, changes -> d.wake()), meters,
            clock);
        receive(ingest, 3.5, reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 7.0), reading(3, 3, FRIDGE, 7.5));

        IngestResult.Stored raised = receive(ingest, 6.5, reading(4, 6, FRIDGE, 7.2));

        assertThat(raised.alarms()).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !held.isEmpty());
        assertThat(dispatcher.pending()).as("the ingest returned while the delivery is still in progress")
            .isGreaterThanOrEqualTo(1);
        IngestResult.Stored next = receive(ingest, 7.5, reading(5, 7, FRIDGE, 7.4));
        assertThat(next.stored()).isEqualTo(1);
      }
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private IngestResult.Stored receive(Ingest ingest, double minutes, org.sangfroid.core.wire.Reading... readings) {
    clock.set(T0.plusMillis((long) (minutes * 60_000)));
    IngestResult r = ingest.accept(readingsTopic(), batch(readings));
    assertThat(r).isInstanceOf(IngestResult.Stored.class);
    return (IngestResult.Stored) r;
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
