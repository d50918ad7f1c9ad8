package org.sangfroid.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;

/**
 * A logged-in user of the gateway's web app and API, over real HTTP: its own cookie jar, and
 * the session's CSRF token on every POST.
 */
public final class WebClient {
  /** Every test user's password. */
  public static final String PASSWORD = "correct horse battery staple";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private String csrf;

  private WebClient(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  }

  /** Adds {@code name} with {@link #PASSWORD} to {@code store}. */
  public static void addUser(GatewayStore store, String name, Role role, Language language) {
    assertThat(new Users(store, Clock.systemUTC()).add("system", "test", name, role, language, PASSWORD.toCharArray()))
        .isInstanceOf(Users.Done.class);
  }

  /** Adds {@code name} to the database {@code config} names, before the gateway starts on it. */
  public static void addUser(GatewayConfig config, String name, Role role) {
    try (GatewayStore store = GatewayStore.open(GatewayApp.database(config))) {
      addUser(store, name, role, Language.EN);
    }
  }

  /** A client that is not logged in. */
  public static WebClient anonymous(int port) {
    return new WebClient(port);
  }

  /** {@code name} logged in through {@code POST /api/login}. */
  public static WebClient login(int port, String name) {
    WebClient c = new WebClient(port);
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(c.base + "/api/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    c.csrf = c.json(r).get("csrf").asText();
    return c;
  }

  public String csrf() {
    return csrf;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)));
  }

  /** GET, which must answer 200 with JSON. */
  public JsonNode getJson(String path) {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json(r);
  }

  /** POST of a JSON body with the session's CSRF token. */
  public HttpResponse<String> post(String path, String jsonBody) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return send(b);
  }

  /** POST of a form, as a browser sends it; the caller decides whether it carries {@code csrf}. */
  public HttpResponse<String> postForm(String path, Map<String, String> fields) {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(),
            StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /** {@code fields} with this session's CSRF token added. */
  public Map<String, String> withCsrf(Map<String, String> fields) {
    Map<String, String> m = new LinkedHashMap<>(fields);
    m.put("csrf", csrf);
    return m;
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
