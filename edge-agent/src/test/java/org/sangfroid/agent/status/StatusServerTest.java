package org.sangfroid.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local endpoint over real sockets on loopback: what a client gets, and what it cannot break. */
class StatusServerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicBoolean broken = new AtomicBoolean();
  private StatusServer server;

  private static StatusReport report() {
    return new StatusReport(1, "casa-01", "agent-01", "1.2.0", "2026-01-15T08:00:00Z", "2026-01-15T10:05:00Z",
        new StatusReport.OutboxState("outbox.db", 0, 350_000, null, null, 0, 0, 0, 0, List.of(), null),
        new StatusReport.Connection("tcp://127.0.0.1:1883", true, null), List.of(),
        new StatusReport.LocalAlarm(false, false, List.of()));
  }

  @BeforeEach
  void start() throws IOException {
    meters.counter("sangfroid.agent.readings.sampled").increment(32);
    server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), meters, () -> {
      if (broken.get()) {
        throw new IllegalStateException("outbox closed");
      }
      return report();
    }, TIMEOUT);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.address().getPort() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code request} as is and returns the whole answer. */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void metrics_prometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo(PrometheusText.scrape(meters))
        .contains("sangfroid_agent_readings_sampled_total 32.0");
  }

  @Test
  void status_json() throws Exception {
    HttpResponse<String> r = get("/status?pretty");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(r.body()).isEqualTo(new String(StatusJson.of(report()), StandardCharsets.UTF_8));
  }

  @Test
  void status_partFails_503() throws Exception {
    broken.set(true);

    HttpResponse<String> r = get("/status");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"error\":\"the status could not be made: outbox closed\"}");
  }

  @Test
  void unknownPath_404() throws Exception {
    HttpResponse<String> r = get("/nothing");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"not found; this agent serves /metrics and /status\"}");
  }

  @Test
  void head_headersWithoutBody() throws IOException {
    String answer = raw("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

    int length = PrometheusText.scrape(meters).getBytes(StandardCharsets.UTF_8).length;
    assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + length + "\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void post_405WithAllow() throws IOException {
    assertThat(raw("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n")
        .endsWith("{\"error\":\"only GET is served here\"}");
  }

  @Test
  void garbage_400_andTheNextClientIsServed() throws Exception {
    assertThat(raw("\u0016\u0003\u0001 hello\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");

    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void silentClient_408AfterTheTimeout_andTheNextClientIsServed() throws Exception {
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      silent.setSoTimeout(5000);
      silent.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));

      String answer = new String(silent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
    }
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void hugeHead_431() throws IOException {
    String answer = raw("GET /metrics HTTP/1.1\r\nX-Big: " + "a".repeat(StatusServer.MAX_HEAD) + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
  }

  @Test
  void close_stopsListening() throws Exception {
    int port = server.address().getPort();

    server.close();

    assertThat(connects(port)).isFalse();
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return s.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
