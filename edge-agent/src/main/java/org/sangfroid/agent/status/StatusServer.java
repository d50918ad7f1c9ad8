package org.sangfroid.agent.status;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local HTTP endpoint: {@code GET /metrics} in Prometheus text, {@code GET /status}
 * as a {@link StatusReport} in JSON. Read-only, no login: it listens on 127.0.0.1 unless the
 * configuration says otherwise.
 *
 * <p>A minimal HTTP/1.1 server of its own, on one thread: it answers one request per connection
 * ({@code Connection: close}), one connection at a time, and gives a client {@code timeout} to
 * send its request. The JDK's HTTP server, used before, held two more threads and a selector,
 * and formats a {@code Date} header at each answer, which loads the JDK's time-zone names: about
 * 0.8 MB resident while never asked, 2 MB once asked (docs/performance.md). Bad requests are answered
 * with an error and logged at debug level; nothing a client sends stops the endpoint.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  /** The Prometheus text exposition format. */
  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON_TYPE = "application/json; charset=utf-8";
  /** Time a client has to send its request line and headers. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** Longest request head (request line and headers) read; a longer one gets 431. */
  static final int MAX_HEAD = 8192;

  private final ServerSocket socket;
  private final Thread thread;

  private StatusServer(ServerSocket socket, Thread thread) {
    this.socket = socket;
    this.thread = thread;
  }

  /**
   * Listens on {@code address}.
   *
   * @throws IOException if it cannot (the port is taken, the address is not this device's)
   */
  public static StatusServer start(InetSocketAddress address, MeterRegistry meters,
      Supplier<StatusReport> status) throws IOException {
    return start(address, meters, status, TIMEOUT);
  }

  static StatusServer start(InetSocketAddress address, MeterRegistry meters, Supplier<StatusReport> status,
      Duration timeout) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, 8);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    Thread thread = new Thread(() -> serve(socket, meters, status, timeout), "sangfroid-status-http");
    thread.setDaemon(true);
    thread.start();
    return new StatusServer(socket, thread);
  }

  private static void serve(ServerSocket socket, MeterRegistry meters, Supplier<StatusReport> status,
      Duration timeout) {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        answer(client, meters, status, timeout);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          // A client that hung up or sent nothing in time: the next one is served all the same.
          log.debug("Status request failed: {}", e.toString());
        }
      } catch (Throwable t) {  // a bug in a part: the agent goes on, and so does the endpoint
        log.warn("Status request failed: {}", t.toString(), t);
      }
    }
  }

  private static void answer(Socket client, MeterRegistry meters, Supplier<StatusReport> status, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    OutputStream out = client.getOutputStream();
    String line;
    try {
      line = requestLine(client, deadline);
    } catch (SocketTimeoutException e) {
      send(out, false, 408, JSON_TYPE, StatusJson.error("the request did not arrive within " + timeout.toMillis()
          + " ms"));
      return;
    } catch (HeadTooLarge e) {
      send(out, false, 431, JSON_TYPE, StatusJson.error("the request's headers are longer than " + MAX_HEAD
          + " bytes"));
      return;
    }
    String[] parts = line.split(" ");
    String path = parts.length == 3 && parts[2].startsWith("HTTP/1.") ? path(parts[1]) : null;
    if (path == null) {
      log.debug("Status request not understood: [{}]", line);
      send(out, false, 400, JSON_TYPE, StatusJson.error("not an HTTP/1.x request line: " + line));
      return;
    }
    String method = parts[0];
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      send(out, false, 405, JSON_TYPE, StatusJson.error("only GET is served here"), "Allow: GET, HEAD\r\n");
      return;
    }
    switch (path) {
      case "/metrics" ->
          send(out, head, 200, METRICS_TYPE, PrometheusText.scrape(meters).getBytes(StandardCharsets.UTF_8));
      case "/status" -> {
        byte[] body;
        try {
          body = StatusJson.of(status.get());
        } catch (RuntimeException e) {
          log.warn("The status could not be made: {}", e.toString());
          send(out, head, 503, JSON_TYPE, StatusJson.error("the status could not be made: " + e.getMessage()));
          return;
        }
        send(out, head, 200, JSON_TYPE, body);
      }
      default -> send(out, head, 404, JSON_TYPE, StatusJson.error("not found; this agent serves /metrics and /status"));
    }
  }

  /** The request target's path: {@code /metrics} of {@code /metrics?x=1} or of {@code http://host/metrics}. */
  private static String path(String target) {
    try {
      String p = URI.create(target).getRawPath();
      return p == null || p.isEmpty() ? "/" : p;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final class HeadTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Reads the request's head (up to the blank line; a GET has no body) and returns its first line.
   */
  private static String requestLine(Socket client, long deadline) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream(), 1024);
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int newlines = 0;
    while (newlines < 2) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      if (deadline - System.nanoTime() <= 0) {
        throw new SocketTimeoutException("request head not complete in time");
      }
      client.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
      int b = in.read();
      if (b < 0) {
        throw new IOException("the client closed the connection before the end of its request");
      }
      if (head.size() >= MAX_HEAD) {
        throw new HeadTooLarge();
      }
      head.write(b);
      if (b == '\n') {
        newlines++;
      } else if (b != '\r') {
        newlines = 0;
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf('\n');
    return text.substring(0, end).strip();
  }

  private static void send(OutputStream out, boolean head, int code, String type, byte[] body) throws IOException {
    send(out, head, code, type, body, "");
  }

  private static void send(OutputStream out, boolean head, int code, String type, byte[] body, String headers)
      throws IOException {
    String top = "HTTP/1.1 " + code + " " + reason(code) + "\r\nContent-Type: " + type + "\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n" + headers + "\r\n";
    out.write(top.getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.write(body);
    }
    out.flush();
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 431 -> "Request Header Fields Too Large";
      default -> "Service Unavailable";
    };
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Stops listening; a request in progress gets a second to finish. Idempotent. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("Closing the status endpoint: {}", e.toString());
    }
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
