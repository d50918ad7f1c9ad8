package org.sangfroid.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A logged-in user of the gateway's JSON API, for programs (the demo, the simulator): logs in
 * with {@code POST /api/login}, keeps the session cookie, and sends the session's CSRF token on
 * every POST. Thread-safe.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final String csrf;

  private ApiClient(URI base, HttpClient http, Duration timeout, String csrf) {
    this.base = base;
    this.http = http;
    this.timeout = timeout;
    this.csrf = csrf;
  }

  /**
   * Logs in as {@code name} on the gateway at {@code base} (e.g. {@code http://127.0.0.1:8080}).
   *
   * @throws IOException when the gateway cannot be reached or refuses the login (its answer is in the message)
   */
  public static ApiClient login(URI base, String name, String password, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).cookieHandler(new CookieManager()).build();
    String body = JSON.writeValueAsString(Map.of("name", name, "password", password));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/login")).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("The gateway at " + base + " refused the login of " + name + " (" + r.statusCode() + "): "
          + r.body());
    }
    return new ApiClient(base, http, timeout, JSON.readTree(r.body()).path("csrf").asText());
  }

  /** {@code GET path}, which must answer 200 with JSON. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return answer("GET", path, http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofByteArray()));
  }

  /** {@code POST path} with a JSON body and the CSRF token, which must answer 200 with JSON. */
  public JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return answer("POST", path, http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .header("Content-Type", "application/json").header(Guard.CSRF_HEADER, csrf)
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
        HttpResponse.BodyHandlers.ofByteArray()));
  }

  private JsonNode answer(String method, String path, HttpResponse<byte[]> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IOException(method + " " + base.resolve(path) + " answered " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(r.body());
  }
}
