package org.sangfroid.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The alarm latency bench's webhook endpoint: the JDK's HTTP server on loopback, answering 200 to
 * every POST on {@code /hook} and noting when each arrived ({@link System#nanoTime()}, the clock
 * the publishing side reads too).
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One webhook call: when it arrived and what it said. */
  record Hook(long arrivedNanos, String event, long alarmId, String unit, String startedAt) {}

  private final HttpServer server;
  private final BlockingQueue<Hook> hooks = new LinkedBlockingQueue<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    WebhookReceiver receiver = new WebhookReceiver(server);
    server.createContext("/hook", exchange -> {
      long arrived = System.nanoTime();
      try {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        JsonNode alarm = body.path("alarm");
        receiver.hooks.add(new Hook(arrived, body.path("event").asText(), alarm.path("id").asLong(),
            alarm.path("unit").asText(), alarm.path("startedAt").asText()));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return receiver;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next call, in arrival order, if one comes within {@code timeout}. */
  Optional<Hook> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(hooks.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
