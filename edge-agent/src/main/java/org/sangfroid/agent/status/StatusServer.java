package org.sangfroid.agent.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local HTTP endpoint (the JDK's HTTP server, one thread): {@code GET /metrics} in
 * Prometheus text, {@code GET /status} as a {@link StatusReport} in JSON. Read-only, no login:
 * it listens on 127.0.0.1 unless the configuration says otherwise.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  /** The Prometheus text exposition format. */
  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON_TYPE = "application/json; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService thread;

  private StatusServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Listens on {@code address}.
   *
   * @throws IOException if it cannot (the port is taken, the address is not this device's)
   */
  public static StatusServer start(InetSocketAddress address, MeterRegistry meters,
      Supplier<StatusReport> status) throws IOException {
    HttpServer server = HttpServer.create(address, 8);
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sangfroid-status-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.createContext("/", exchange -> {
      try (exchange) {
        handle(exchange, meters, status);
      } catch (IOException | RuntimeException e) {
        // A client that hung up, or a part that failed: the agent goes on either way.
        log.debug("Status request {} failed: {}", exchange.getRequestURI(), e.toString());
      }
    });
    server.start();
    return new StatusServer(server, thread);
  }

  private static void handle(HttpExchange exchange, MeterRegistry meters, Supplier<StatusReport> status)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, JSON_TYPE, error("only GET is served here"));
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case "/metrics" ->
          send(exchange, 200, METRICS_TYPE, PrometheusText.scrape(meters).getBytes(StandardCharsets.UTF_8));
      case "/status" -> {
        byte[] body;
        try {
          body = StatusJson.of(status.get());
        } catch (RuntimeException e) {
          log.warn("The status could not be made: {}", e.toString());
          send(exchange, 503, JSON_TYPE, error("the status could not be made: " + e.getMessage()));
          return;
        }
        send(exchange, 200, JSON_TYPE, body);
      }
      default -> send(exchange, 404, JSON_TYPE, error("not found; this agent serves /metrics and /status"));
    }
  }

  private static byte[] error(String message) {
    return StatusJson.error(message);
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening; a request in progress gets a second to finish. Idempotent. */
  @Override
  public void close() {
    server.stop(1);
    thread.shutdownNow();
  }
}
