package org.sangfroid.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.User;
import org.sangfroid.gateway.user.Users;
import org.sangfroid.gateway.web.Pages.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out, the session cookie, and the checks every request passes: logged in, the
 * role its route needs, and on every POST the session's CSRF token (form field {@code csrf} or
 * header {@code X-CSRF-Token}). The login form carries a token of its own, matched against a
 * cookie set with the form (a logged-out browser has no session to hold one). Thread-safe.
 */
final class Guard {
  static final String SESSION_COOKIE = "sangfroid_session";
  static final String LOGIN_COOKIE = "sangfroid_login";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String SESSION = "sangfroid.session";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  private final Users users;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Pages pages;
  private final Http settings;
  private final ObjectMapper json = new ObjectMapper();
  private final Counter ok;
  private final Counter failed;
  private final Counter throttled;

  Guard(Users users, Sessions sessions, LoginThrottle throttle, Pages pages, Http settings, MeterRegistry meters) {
    this.users = users;
    this.sessions = sessions;
    this.throttle = throttle;
    this.pages = pages;
    this.settings = settings;
    String description = "Web and API logins: ok, failed (wrong name or password), throttled (too many failures)";
    this.ok = Counter.builder("sangfroid.web.logins").tag("result", "ok").description(description).register(meters);
    this.failed = Counter.builder("sangfroid.web.logins").tag("result", "failed").description(description)
        .register(meters);
    this.throttled = Counter.builder("sangfroid.web.logins").tag("result", "throttled").description(description)
        .register(meters);
  }

  ZoneId zone() {
    return settings.timeZone();
  }

  Texts texts(Language l) {
    return new Texts(l, settings.timeZone());
  }

  /** The request's session (set by {@link #check}); only on routes that need a login. */
  static Session session(Context ctx) {
    Session s = ctx.attribute(SESSION);
    if (s == null) {
      throw new IllegalStateException("no session on " + ctx.path() + ": its route must not be PUBLIC");
    }
    return s;
  }

  static Optional<Session> optionalSession(Context ctx) {
    return Optional.ofNullable(ctx.attribute(SESSION));
  }

  /** Before every matched route: refuses what {@code access} does not allow. */
  void check(Context ctx, Access access) {
    if (access == Access.PUBLIC) {
      sessions.peek(ctx.cookie(SESSION_COOKIE)).ifPresent(s -> ctx.attribute(SESSION, s));
      return;
    }
    Session s = sessions.use(ctx.cookie(SESSION_COOKIE)).orElseThrow(Denied::notLoggedIn);
    ctx.attribute(SESSION, s);
    if (!access.allows(s.role())) {
      throw new Denied(403, "Your role (" + s.role().wire() + ") may not do this: it needs "
          + access.least().orElseThrow().wire() + " or above.");
    }
    if (ctx.method().name().equals("POST") && !csrfOk(ctx, s)) {
      throw new Denied(403, "The request has no valid CSRF token: send the session's token (GET /api/session) in"
          + " header " + CSRF_HEADER + ", or reload the page and submit its form again.");
    }
  }

  private static boolean csrfOk(Context ctx, Session s) {
    String given = ctx.header(CSRF_HEADER);
    if (given == null && isForm(ctx)) {
      given = ctx.formParam("csrf");
    }
    return given != null && same(given, s.csrf());
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The language of a logged-out visitor: French when their browser prefers it. */
  static Language visitorLanguage(Context ctx) {
    String accept = ctx.header("Accept-Language");
    return accept != null && accept.trim().toLowerCase(Locale.ROOT).startsWith("fr") ? Language.FR : Language.EN;
  }

  // ---- the login page ----

  void loginPage(Context ctx) {
    if (optionalSession(ctx).isPresent()) {
      ctx.redirect(next(ctx.queryParam("next")));
      return;
    }
    showLogin(ctx, 200, Optional.empty(), ctx.queryParam("next"));
  }

  private void showLogin(Context ctx, int status, Optional<Notice> notice, String next) {
    String token = ctx.cookie(LOGIN_COOKIE);
    if (token == null || !TOKEN.matcher(token).matches()) {
      token = sessions.token();
    }
    cookie(ctx, LOGIN_COOKIE, token, "/login", 3600);
    ctx.status(status).html(pages.login(texts(visitorLanguage(ctx)), token, next(next), notice));
  }

  void loginForm(Context ctx) {
    Texts t = texts(visitorLanguage(ctx));
    String cookie = ctx.cookie(LOGIN_COOKIE);
    String token = ctx.formParam("csrf");
    String next = ctx.formParam("next");
    if (cookie == null || token == null || !same(cookie, token)) {
      showLogin(ctx, 403, Optional.of(new Notice(t.t("login.stale"), true)), next);
      return;
    }
    String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    Outcome o = attempt(ctx, name, password);
    if (o instanceof Throttled th) {
      ctx.header("Retry-After", Long.toString(th.delay().toSeconds()));
      showLogin(ctx, 429, Optional.of(new Notice(t.t("login.throttled", th.delay().toSeconds()), true)), next);
    } else if (o instanceof Failed) {
      showLogin(ctx, 401, Optional.of(new Notice(t.t("login.failed"), true)), next);
    } else {
      cookie(ctx, LOGIN_COOKIE, "", "/login", 0);
      ctx.redirect(next(next), HttpStatus.SEE_OTHER);
    }
  }

  /** {@code POST /api/login} with {@code {name, password}}: answers the session as {@code GET /api/session}. */
  void loginApi(Context ctx) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      // A form posted from another site cannot send JSON without the browser asking first.
      throw new Denied(403, "POST /api/login takes a JSON body (Content-Type: application/json).");
    }
    JsonNode body;
    try {
      body = json.readTree(ctx.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      throw new Denied(400, "The request body must be a JSON object such as {\"name\": \"...\", \"password\": \"...\"}.");
    }
    Outcome o = attempt(ctx, body.path("name").asText("").strip(), body.path("password").asText(""));
    if (o instanceof Throttled th) {
      ctx.header("Retry-After", Long.toString(th.delay().toSeconds()));
      throw new Denied(429, "Too many failed logins: try again in " + th.delay().toSeconds() + " s.");
    } else if (o instanceof Failed) {
      throw new Denied(401, "Wrong name or password.");
    }
    ctx.json(view(((LoggedIn) o).session()));
  }

  record SessionView(String user, String role, String language, String csrf) {}

  static SessionView view(Session s) {
    return new SessionView(s.user(), s.role().wire(), s.language().wire(), s.csrf());
  }

  private sealed interface Outcome {}

  private record LoggedIn(Session session) implements Outcome {}

  private record Failed() implements Outcome {}

  private record Throttled(Duration delay) implements Outcome {}

  private Outcome attempt(Context ctx, String name, String password) {
    String address = ctx.ip();
    Optional<Duration> wait = throttle.wait(name, address);
    if (wait.isPresent()) {
      throttled.increment();
      LOG.warn("Login of [{}] from {} refused: too many failed logins (wait {} s)", name, address,
          Math.max(1, wait.get().toSeconds()));
      return new Throttled(Duration.ofSeconds(Math.max(1, wait.get().toSeconds())));
    }
    Optional<User> user = users.login(name, password);
    if (user.isEmpty()) {
      throttle.failed(name, address);
      failed.increment();
      LOG.warn("Failed login of [{}] from {}", name, address);
      return new Failed();
    }
    throttle.succeeded(name);
    ok.increment();
    Session s = sessions.start(user.get());
    sessionCookie(ctx, s.id(), -1);
    LOG.info("{} ({}) logged in from {}", s.user(), s.role().wire(), address);
    return new LoggedIn(s);
  }

  void logout(Context ctx) {
    Session s = session(ctx);
    sessions.end(s.id());
    sessionCookie(ctx, "", 0);
    LOG.info("{} logged out", s.user());
  }

  // ---- cookies ----

  private void sessionCookie(Context ctx, String value, int maxAge) {
    cookie(ctx, SESSION_COOKIE, value, "/", maxAge);
  }

  /** HttpOnly and SameSite=Strict always; Secure on https or when configured. {@code maxAge} -1: until the browser closes. */
  private void cookie(Context ctx, String name, String value, String path, int maxAge) {
    boolean secure = settings.secureCookies() || "https".equalsIgnoreCase(ctx.scheme());
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + (maxAge >= 0 ? "; Max-Age=" + maxAge : "")
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
  }

  /** Where to go after logging in: a path on this server, never elsewhere. */
  static String next(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.startsWith("/login") || next.chars().anyMatch(c -> c < 0x20)) {
      return "/";
    }
    return next;
  }
}
