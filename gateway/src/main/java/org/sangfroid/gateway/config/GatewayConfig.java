package org.sangfroid.gateway.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigDocument;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.gateway.broker.PasswordFile;
import org.sangfroid.gateway.user.Language;

/**
 * The gateway's configuration: one immutable tree, read from one YAML file and validated all at
 * once ({@link #load(Path)} lists every problem as {@code file:line: what}).
 *
 * <pre>
 * dataDir: ./data              # required; gateway.db and broker/ live here. Relative paths are
 *                              # resolved against the config file's directory.
 * language: en                 # default en (en or fr): alarm e-mails to addresses of no web user
 * database:                    # default: the SQLite file dataDir/gateway.db
 *   url: jdbc:postgresql://db.example:5432/sangfroid   # required here; a PostgreSQL database
 *   username: sangfroid        # default: the driver's (the operating system user)
 *   passwordFile: db.secret    # needs username; first line is the password (never in the url)
 * http:
 *   bind: 127.0.0.1            # default 127.0.0.1
 *   port: 8080                 # default 8080; 0 = any free port
 *   secureCookies: false       # default false: cookies are marked Secure only on https requests;
 *                              # true behind an HTTPS reverse proxy that talks http to the gateway
 *   sessionIdle: 30m           # default 30m (1m to 12h): a login ends after this long without a request
 *   sessionMax: 12h            # default 12h (10m to 7d): and this long after it started, whatever
 *   timeZone: Africa/Casablanca  # default the server's: how the web app shows times
 * broker:                      # default: an embedded broker on 127.0.0.1:1883
 *   embedded:
 *     bind: 127.0.0.1          # default 127.0.0.1; another address needs passwordFile
 *     port: 1883               # default 1883; 0 = any free port
 *     passwordFile: passwd     # default none: anonymous clients. A Mosquitto password file
 *                              # (mosquitto_passwd, sangfroid-credentials): every agent logs in as
 *                              # SITE/AGENT and may use only its own topics; read again when it changes
 *   # url: tcp://broker:1883   # an external broker instead (tcp:// or ssl://)
 *   # username: gateway        # external broker only
 *   # passwordFile: gw.secret  # external broker only; needs username; first line is the password
 * engine:
 *   tick: 15s                  # default 15s (1s to 1h): how often monitoring-lost is checked
 * sites:                       # at least one
 *   - id: casa-01              # unique; not "gateway" or "alarms"
 *     name: Casablanca         # default: the id
 *     language: fr             # default the gateway's language: its alarm e-mails to addresses of
 *                              # no web user (a web user's address gets the user's own language)
 *     escalation:              # optional: who is told when an alarm is not acknowledged in time
 *       steps:                 # at least one, in order of "after"
 *         - after: 15m         # since the alarm was raised (1m to 7d)
 *           email: [oncall@casa.example]  # optional; needs notify.email. Webhooks get every step.
 *         - after: 45m
 *           email: [qm@casa.example]
 *       repeat: 30m            # default 30m (1m to 1d): the last step again, until acknowledged
 *     agents:
 *       - id: agent-01         # unique within its site
 *         units:
 *           - id: rbc-fridge-1 # unique across the gateway
 *             name: Fridge 1   # default: the id
 *             profile: RBC_STORE_EU       # one of core's Profiles ids
 *             delay: 5m                   # default: the profile's (0s to 1d)
 *             hysteresis: 0.5             # default: the profile's (0 to 10 °C)
 *             monitoringLostAfter: 10m    # default: the profile's (1m to 7d)
 *             rateOfChange:               # optional warning: faster than perHour °C/h over window
 *               perHour: 3.0              # required (0.1 to 100)
 *               window: 30m               # default 30m (1m to 1d)
 *               hysteresis: 0.5           # default a fifth of perHour (°C/h)
 *             transitTime: 330m           # a box's validated transit time (10m to 7d); replaces the
 *                                         # profile's maximum, if it has one
 * notify:                      # optional; without it no notifications are sent
 *   publicUrl: https://gw.example  # default http://{http.bind}:{http.port}; alarm links in messages
 *   email:                     # optional
 *     smtp:
 *       host: 127.0.0.1        # required
 *       port: 25               # default 25 (1 to 65535)
 *       startTls: false        # default false; true = STARTTLS required
 *       username: sangfroid    # default: no SMTP authentication
 *       passwordFile: smtp.secret  # needs username; first line is the password
 *     from: sangfroid@centre.example  # required
 *     to: [qa@centre.example]  # required, at least one address
 *   webhooks:                  # optional
 *     - url: https://hooks.example/sangfroid   # required, http:// or https://
 *       secretFile: hook.secret  # required; first line is the HMAC-SHA256 key
 *   retry:
 *     first: 10s               # default 10s (100ms to 1h): the first retry's delay
 *     max: 10m                 # default 10m (first to 1d): delays double up to this
 *     giveUpAfter: 24h         # default 24h (1s to 7d): then a dead letter
 * </pre>
 *
 * <p>The {@code notify} section is {@link #notifications()} ({@code notify} is a Java method name).
 *
 * <p>{@code sha256} is the hex SHA-256 of the file's bytes (UTF-8 text), recorded in the audit
 * trail at each start.
 */
public record GatewayConfig(Path dataDir, Optional<Postgres> database, Http http, Broker broker, Engine engine, List<Site> sites,
    Optional<Notify> notifications, String sha256, Language language) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_MQTT_PORT = 1883;
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(15);
  public static final int DEFAULT_SMTP_PORT = 25;
  public static final Retry DEFAULT_RETRY =
      new Retry(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofHours(24));

  private static final Set<String> ROOT_KEYS =
      Set.of("dataDir", "database", "http", "broker", "engine", "sites", "notify", "language");
  private static final Set<String> DATABASE_KEYS = Set.of("url", "username", "passwordFile");
  /** jdbc:postgresql://, then one or more host[:port], then /database, then parameters. */
  private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://[^/?\\s]+/[^/?\\s]+(\\?\\S*)?");
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);
  private static final Set<String> HTTP_KEYS =
      Set.of("bind", "port", "secureCookies", "sessionIdle", "sessionMax", "timeZone");
  private static final Set<String> BROKER_KEYS = Set.of("embedded", "url", "username", "passwordFile");
  private static final Set<String> EMBEDDED_KEYS = Set.of("bind", "port", "passwordFile");
  private static final Set<String> ENGINE_KEYS = Set.of("tick");
  private static final Set<String> SITE_KEYS = Set.of("id", "name", "agents", "escalation", "language");
  private static final Set<String> ESCALATION_KEYS = Set.of("steps", "repeat");
  private static final Set<String> STEP_KEYS = Set.of("after", "email");
  public static final Duration DEFAULT_ESCALATION_REPEAT = Duration.ofMinutes(30);
  private static final Set<String> AGENT_KEYS = Set.of("id", "units");
  private static final Set<String> UNIT_KEYS =
      Set.of("id", "name", "profile", "delay", "hysteresis", "monitoringLostAfter", "rateOfChange", "transitTime");
  private static final Set<String> RATE_KEYS = Set.of("perHour", "window", "hysteresis");
  private static final Set<String> NOTIFY_KEYS = Set.of("publicUrl", "email", "webhooks", "retry");
  private static final Set<String> EMAIL_KEYS = Set.of("smtp", "from", "to");
  private static final Set<String> SMTP_KEYS = Set.of("host", "port", "startTls", "username", "passwordFile");
  private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secretFile");
  private static final Set<String> RETRY_KEYS = Set.of("first", "max", "giveUpAfter");
  /** Stands in for an invalid id while the rest of the file is checked; never returned. */
  private static final String PLACEHOLDER = "invalid";

  public GatewayConfig {
    Checks.requireNonNull("dataDir", dataDir);
    Checks.requireNonNull("database", database);
    Checks.requireNonNull("http", http);
    Checks.requireNonNull("broker", broker);
    Checks.requireNonNull("engine", engine);
    Checks.requireNonNull("notify", notifications);
    Checks.requireNonNull("sha256", sha256);
    Checks.requireNonNull("language", language);
    sites = List.copyOf(sites);
  }

  /**
   * A PostgreSQL database instead of the SQLite file {@code dataDir/gateway.db}.
   *
   * @param url {@code jdbc:postgresql://host:port/database}, with driver parameters if any
   * @param username empty: the driver's default
   * @param passwordFile a file whose first line is the password; empty without one
   */
  public record Postgres(String url, Optional<String> username, Optional<Path> passwordFile) {
    public Postgres {
      Checks.requireNonNull("database.url", url);
      Checks.requireNonNull("database.username", username);
      Checks.requireNonNull("database.passwordFile", passwordFile);
    }
  }

  /**
   * The web app and API's address and logins. {@code port} 0 means any free port.
   *
   * @param secureCookies mark the session cookie Secure even on plain http requests (behind an
   *     HTTPS reverse proxy); https requests always get Secure cookies
   * @param sessionIdle a login ends after this long without a request
   * @param sessionMax a login ends this long after it started, however active
   * @param timeZone how the web app shows times
   */
  public record Http(String bind, int port, boolean secureCookies, Duration sessionIdle, Duration sessionMax,
      ZoneId timeZone) {
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_SESSION_MAX = Duration.ofHours(12);

    public Http {
      Checks.require(bind != null && !bind.isBlank(), "http.bind", bind, "be an address such as 127.0.0.1");
      Checks.require(port >= 0 && port <= 65535, "http.port", port, "be from 0 to 65535");
      Checks.require(sessionIdle != null && !sessionIdle.isNegative() && !sessionIdle.isZero(), "http.sessionIdle", sessionIdle, "be positive");
      Checks.require(sessionMax != null && !sessionMax.isNegative() && !sessionMax.isZero(), "http.sessionMax", sessionMax, "be positive");
      Checks.requireNonNull("http.timeZone", timeZone);
    }

    /** {@code bind:port} with the default logins and the server's time zone. */
    public Http(String bind, int port) {
      this(bind, port, false, DEFAULT_SESSION_IDLE, DEFAULT_SESSION_MAX, ZoneId.systemDefault());
    }
  }

  /** Where the MQTT broker is: in this process, or elsewhere. */
  public sealed interface Broker permits Embedded, External {}

  /**
   * A broker run inside the gateway. {@code port} 0 means any free port.
   *
   * @param passwordFile a Mosquitto password file of the agents' logins; empty: anonymous clients,
   *     so {@code bind} must be a loopback address
   */
  public record Embedded(String bind, int port, Optional<Path> passwordFile) implements Broker {
    public Embedded {
      Checks.require(bind != null && !bind.isBlank(), "broker.embedded.bind", bind,
          "be an address such as 127.0.0.1");
      Checks.require(port >= 0 && port <= 65535, "broker.embedded.port", port, "be from 0 to 65535");
      Checks.requireNonNull("broker.embedded.passwordFile", passwordFile);
      Checks.require(passwordFile.isPresent() || EmbeddedBroker.isLoopback(bind), "broker.embedded.bind", bind,
          "be a loopback address such as 127.0.0.1 unless broker.embedded.passwordFile is set");
    }

    /** Anonymous clients on a loopback address. */
    public Embedded(String bind, int port) {
      this(bind, port, Optional.empty());
    }
  }

  /**
   * A broker run elsewhere.
   *
   * @param url {@code tcp://host:port} or {@code ssl://host:port}
   * @param username empty for anonymous access
   * @param passwordFile a file whose first line is the password; empty without one
   */
  public record External(String url, Optional<String> username, Optional<Path> passwordFile) implements Broker {
    public External {
      Checks.requireNonNull("broker.url", url);
      Checks.requireNonNull("broker.username", username);
      Checks.requireNonNull("broker.passwordFile", passwordFile);
    }
  }

  /** The excursion engine's schedule: monitoring-lost is checked every {@code tick}. */
  public record Engine(Duration tick) {
    public Engine {
      Checks.require(tick != null && !tick.isNegative() && !tick.isZero(), "engine.tick", tick, "be positive");
    }
  }

  /**
   * A place with agents: a transfusion centre, a hospital blood bank, a mobile unit.
   *
   * @param escalation its on-call chain for alarms nobody acknowledges; empty: none
   * @param language the language of its alarm e-mails to addresses of no web user; empty: the gateway's
   */
  public record Site(String id, String name, List<Agent> agents, Optional<Escalation> escalation,
      Optional<Language> language) {
    public Site {
      Checks.requireId("site", id);
      Checks.requireNonNull("name", name);
      agents = List.copyOf(agents);
      Checks.requireNonNull("escalation", escalation);
      Checks.requireNonNull("language", language);
    }

    /** A site whose e-mails speak the gateway's language. */
    public Site(String id, String name, List<Agent> agents, Optional<Escalation> escalation) {
      this(id, name, agents, escalation, Optional.empty());
    }

    /** A site without an on-call chain. */
    public Site(String id, String name, List<Agent> agents) {
      this(id, name, agents, Optional.empty());
    }
  }

  /**
   * A site's on-call chain: step {@code i} is due {@code steps[i].after} after the alarm was raised
   * if nobody acknowledged it; after the last step, the last step again every {@code repeat}.
   */
  public record Escalation(List<Step> steps, Duration repeat) {
    public Escalation {
      steps = List.copyOf(steps);
      Checks.require(!steps.isEmpty(), "escalation.steps", steps, "list at least one step");
      for (int i = 1; i < steps.size(); i++) {
        Checks.require(steps.get(i).after().compareTo(steps.get(i - 1).after()) > 0, "escalation.steps[" + i
            + "].after", steps.get(i).after(), "be later than the step before");
      }
      Checks.require(repeat != null && repeat.toMillis() > 0, "escalation.repeat", repeat, "be positive");
    }

    /** The step taken at {@code level} (1 = first); past the last, the last. */
    public Step step(int level) {
      return steps.get(Math.min(level, steps.size()) - 1);
    }

    /** How long after step {@code level} (1 = first) the next one is due. */
    public Duration next(int level) {
      return level < steps.size() ? steps.get(level).after().minus(steps.get(level - 1).after()) : repeat;
    }
  }

  /** One step of an on-call chain: who is e-mailed (webhooks are told of every step). */
  public record Step(Duration after, List<String> email) {
    public Step {
      Checks.require(after != null && after.toMillis() > 0, "escalation.steps.after", after, "be positive");
      email = List.copyOf(email);
    }
  }

  /** An edge agent and the units it watches. */
  public record Agent(String site, String id, List<Unit> units) {
    public Agent {
      Checks.requireId("site", site);
      Checks.requireId("agent", id);
      units = List.copyOf(units);
    }
  }

  /**
   * A fridge, freezer, incubator or transport box, with its product profile (the site's timing
   * overrides already applied).
   */
  public record Unit(String site, String agent, String id, String name, Profile profile) {
    public Unit {
      Checks.requireId("site", site);
      Checks.requireId("agent", agent);
      Checks.requireId("unit", id);
      Checks.requireNonNull("name", name);
      Checks.requireNonNull("profile", profile);
    }
  }

  /**
   * Where alarm notifications go, and how failed deliveries are retried.
   *
   * @param publicUrl the API's base URL as people reach it, for the alarm link in messages; empty:
   *     {@code http://{http.bind}:{http.port}}
   */
  public record Notify(Optional<String> publicUrl, Optional<Email> email, List<Webhook> webhooks, Retry retry) {
    public Notify {
      Checks.requireNonNull("notify.publicUrl", publicUrl);
      Checks.requireNonNull("notify.email", email);
      Checks.requireNonNull("notify.retry", retry);
      webhooks = List.copyOf(webhooks);
    }
  }

  /**
   * E-mail over SMTP.
   *
   * @param startTls true: STARTTLS is required before anything is sent
   * @param username empty: no SMTP authentication
   * @param passwordFile a file whose first line is the SMTP password; empty without one
   */
  public record Email(String host, int port, boolean startTls, Optional<String> username, Optional<Path> passwordFile,
      String from, List<String> to) {
    public Email {
      Checks.requireNonNull("notify.email.smtp.host", host);
      Checks.require(port > 0 && port <= 65535, "notify.email.smtp.port", port, "be from 1 to 65535");
      Checks.requireNonNull("notify.email.smtp.username", username);
      Checks.requireNonNull("notify.email.smtp.passwordFile", passwordFile);
      Checks.requireNonNull("notify.email.from", from);
      to = List.copyOf(to);
    }
  }

  /** A URL that receives each alarm change as JSON, signed with the key in {@code secretFile}. */
  public record Webhook(URI url, Path secretFile) {
    public Webhook {
      Checks.requireNonNull("notify.webhooks.url", url);
      Checks.requireNonNull("notify.webhooks.secretFile", secretFile);
    }
  }

  /** Retry delays: {@code first}, doubling up to {@code max}; after {@code giveUpAfter}, a dead letter. */
  public record Retry(Duration first, Duration max, Duration giveUpAfter) {
    public Retry {
      Checks.require(first != null && !first.isNegative() && !first.isZero(), "notify.retry.first", first, "be positive");
      Checks.require(max != null && max.compareTo(first) >= 0, "notify.retry.max", max, "be at least first");
      Checks.require(giveUpAfter != null && !giveUpAfter.isNegative() && !giveUpAfter.isZero(), "notify.retry.giveUpAfter", giveUpAfter,
          "be positive");
    }
  }

  /** The sites, agents and units indexed for lookups. */
  public Fleet fleet() {
    return new Fleet(this);
  }

  /**
   * Reads and validates a configuration file.
   *
   * @throws ConfigException listing every problem, each {@code file:line: what}
   */
  public static GatewayConfig load(Path file) {
    Path base = file.toAbsolutePath().getParent();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
    }
    return read(ConfigDocument.parse(file.toString(), text), base == null ? Path.of("") : base, sha256(text));
  }

  /** Parses {@code text} named {@code name}; relative paths resolve against {@code baseDir}. */
  public static GatewayConfig parse(String name, String text, Path baseDir) {
    return read(ConfigDocument.parse(name, text), baseDir, sha256(text));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static GatewayConfig read(ConfigDocument doc, Path base, String sha256) {
    ConfigNode root = doc.root();
    if (!root.expectMapping()) {
      doc.finish();
    }
    root.allowOnly(ROOT_KEYS);
    Path dataDir = root.require("dataDir").map(n -> path(n, base)).orElse(base);
    Optional<Postgres> database = root.get("database").flatMap(n -> database(n, base));
    Http http = root.get("http").map(GatewayConfig::http)
        .orElse(new Http(DEFAULT_BIND, DEFAULT_HTTP_PORT));
    Broker broker = root.get("broker").map(n -> broker(n, base))
        .orElse(new Embedded(DEFAULT_BIND, DEFAULT_MQTT_PORT));
    Engine engine = root.get("engine").map(GatewayConfig::engine).orElse(new Engine(DEFAULT_TICK));
    Optional<Notify> notify = root.get("notify").flatMap(n -> notify(doc, n, base));
    List<Site> sites = sites(doc, root, root.get("notify").flatMap(n -> n.get("email")).isPresent());
    Language language = root.get("language").flatMap(GatewayConfig::language).orElse(Language.EN);
    doc.finish();
    return new GatewayConfig(dataDir, database, http, broker, engine, sites, notify, sha256, language);
  }

  /** A language key's value: {@code en} or {@code fr}; empty (reported) otherwise. */
  private static Optional<Language> language(ConfigNode n) {
    Optional<Language> l = Language.fromWire(n.text().orElse("").trim());
    if (l.isEmpty()) {
      n.invalid("be en or fr");
    }
    return l;
  }

  private static Path path(ConfigNode node, Path base) {
    String text = node.text().orElse("");
    if (text.isBlank()) {
      node.invalid("be a directory path such as ./data");
      return base;
    }
    try {
      return base.resolve(text).normalize();
    } catch (InvalidPathException e) {
      node.invalid("be a valid path");
      return base;
    }
  }

  private static Optional<Postgres> database(ConfigNode n, Path base) {
    if (!n.expectMapping()) {
      return Optional.empty();
    }
    n.allowOnly(DATABASE_KEYS);
    Optional<ConfigNode> url = n.require("url");
    String text = url.flatMap(ConfigNode::text).orElse("").trim();
    boolean valid = false;
    if (url.isPresent()) {
      if (PASSWORD_PARAMETER.matcher(text).find()) {
        url.get().problem("database.url must not contain the password: put it in database.passwordFile");
      } else if (!POSTGRES_URL.matcher(text).matches()) {
        url.get().invalid("be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example:5432/sangfroid");
      } else {
        valid = true;
      }
    }
    Optional<ConfigNode> username = n.get("username");
    Optional<String> user = username.flatMap(ConfigNode::text).map(String::trim);
    if (user.isPresent() && user.get().isEmpty()) {
      username.get().invalid("not be empty");
    }
    Optional<ConfigNode> passwordFile = n.get("passwordFile");
    Optional<Path> secret = passwordFile.flatMap(p -> readableFile(p, base));
    if (passwordFile.isPresent() && user.isEmpty()) {
      passwordFile.get().problem("database.passwordFile needs database.username");
    }
    return valid ? Optional.of(new Postgres(text, user, secret)) : Optional.empty();
  }

  private static String bind(ConfigNode section) {
    String bind = section.string("bind", DEFAULT_BIND).trim();
    if (bind.isEmpty() || bind.chars().anyMatch(Character::isWhitespace)) {
      section.get("bind").ifPresent(n -> n.invalid("be an address such as 127.0.0.1 or 0.0.0.0"));
      return DEFAULT_BIND;
    }
    return bind;
  }

  private static Http http(ConfigNode n) {
    if (!n.expectMapping()) {
      return new Http(DEFAULT_BIND, DEFAULT_HTTP_PORT);
    }
    n.allowOnly(HTTP_KEYS);
    ZoneId zone = ZoneId.systemDefault();
    Optional<ConfigNode> tz = n.get("timeZone");
    if (tz.isPresent()) {
      String text = tz.get().text().orElse("").trim();
      try {
        zone = ZoneId.of(text);
      } catch (DateTimeException e) {
        tz.get().invalid("be a time zone such as Europe/Paris, Africa/Casablanca or UTC");
      }
    }
    return new Http(bind(n), n.integer("port", DEFAULT_HTTP_PORT, 0, 65535), n.bool("secureCookies", false),
        n.duration("sessionIdle", Http.DEFAULT_SESSION_IDLE, Duration.ofMinutes(1), Duration.ofHours(12)),
        n.duration("sessionMax", Http.DEFAULT_SESSION_MAX, Duration.ofMinutes(10), Duration.ofDays(7)), zone);
  }

  private static Broker broker(ConfigNode n, Path base) {
    Embedded fallback = new Embedded(DEFAULT_BIND, DEFAULT_MQTT_PORT);
    if (!n.expectMapping()) {
      return fallback;
    }
    n.allowOnly(BROKER_KEYS);
    Optional<ConfigNode> url = n.get("url");
    Optional<ConfigNode> embedded = n.get("embedded");
    Optional<ConfigNode> username = n.get("username");
    Optional<ConfigNode> passwordFile = n.get("passwordFile");
    if (url.isEmpty()) {
      username.ifPresent(u -> u.problem("broker.username applies only to an external broker (set broker.url)"));
      passwordFile.ifPresent(p -> p.problem("broker.passwordFile applies only to an external broker (set broker.url);"
          + " the embedded broker's agent logins go in broker.embedded.passwordFile"));
      if (embedded.isEmpty() || !embedded.get().expectMapping()) {
        return fallback;
      }
      return embedded(embedded.get(), base);
    }
    embedded.ifPresent(e -> e.problem("broker.embedded cannot be used together with broker.url (choose one)"));
    String urlText = url.get().text().orElse("").trim();
    if (!isMqttUrl(urlText)) {
      url.get().invalid("be an MQTT URL such as tcp://broker:1883 or ssl://broker:8883");
    }
    Optional<String> user = username.flatMap(ConfigNode::text).map(String::trim);
    if (user.isPresent() && user.get().isEmpty()) {
      username.get().invalid("not be empty");
    }
    Optional<Path> secret = passwordFile.map(p -> path(p, base));
    if (secret.isPresent()) {
      if (!Files.isRegularFile(secret.get()) || !Files.isReadable(secret.get())) {
        ConfigNode p = passwordFile.get();
        p.problem(Checks.message(p.path(), p.text().orElse(""), "be a readable file",
            "nothing readable at " + secret.get()));
      }
      if (user.isEmpty()) {
        passwordFile.get().problem("broker.passwordFile needs broker.username");
      }
    }
    return new External(urlText, user, secret);
  }

  private static Embedded embedded(ConfigNode e, Path base) {
    e.allowOnly(EMBEDDED_KEYS);
    String bind = bind(e);
    int port = e.integer("port", DEFAULT_MQTT_PORT, 0, 65535);
    Optional<ConfigNode> passwordFile = e.get("passwordFile");
    Optional<Path> passwords = passwordFile.flatMap(p -> readableFile(p, base));
    passwords.ifPresent(file -> {
      try {
        PasswordFile.read(file).problems().forEach(passwordFile.get()::problem);
      } catch (IOException ex) {
        passwordFile.get().problem(Checks.message(passwordFile.get().path(), passwordFile.get().text().orElse(""),
            "be a readable file", ex.toString()));
      }
    });
    if (passwordFile.isEmpty() && !EmbeddedBroker.isLoopback(bind)) {
      e.get("bind").orElseThrow().invalid("be a loopback address such as 127.0.0.1 unless broker.embedded."
          + "passwordFile is set: without logins anyone who reaches the broker could publish as any agent");
      bind = DEFAULT_BIND;
    }
    if (passwordFile.isPresent() && passwords.isEmpty()) {
      return new Embedded(DEFAULT_BIND, port); // already reported: never returned
    }
    return new Embedded(bind, port, passwords);
  }

  private static boolean isMqttUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
          && uri.getHost() != null && uri.getPort() > 0
          && (uri.getPath() == null || uri.getPath().isEmpty());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Engine engine(ConfigNode n) {
    if (!n.expectMapping()) {
      return new Engine(DEFAULT_TICK);
    }
    n.allowOnly(ENGINE_KEYS);
    return new Engine(n.duration("tick", DEFAULT_TICK, Duration.ofSeconds(1), Duration.ofHours(1)));
  }

  private static Optional<Notify> notify(ConfigDocument doc, ConfigNode n, Path base) {
    if (!n.expectMapping()) {
      return Optional.empty();
    }
    n.allowOnly(NOTIFY_KEYS);
    Optional<String> publicUrl = n.get("publicUrl").flatMap(u -> {
      String text = u.text().orElse("").trim();
      Optional<URI> uri = httpUrl(text);
      if (uri.isEmpty()) {
        u.invalid("be an http:// or https:// URL such as https://gateway.example");
        return Optional.empty();
      }
      return Optional.of(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    });
    Optional<Email> email = n.get("email").flatMap(e -> email(doc, e, base));
    List<Webhook> webhooks = new ArrayList<>();
    for (ConfigNode w : n.list("webhooks")) {
      if (!w.expectMapping()) {
        continue;
      }
      w.allowOnly(WEBHOOK_KEYS);
      String text = w.string("url").trim();
      Optional<URI> url = httpUrl(text);
      if (url.isEmpty()) {
        w.get("url").ifPresent(u -> u.invalid("be an http:// or https:// URL such as https://hooks.example/sangfroid"));
      }
      Optional<Path> secret = w.require("secretFile").flatMap(s -> readableFile(s, base));
      if (url.isPresent() && secret.isPresent()) {
        webhooks.add(new Webhook(url.get(), secret.get()));
      }
    }
    Retry retry = DEFAULT_RETRY;
    Optional<ConfigNode> r = n.get("retry");
    if (r.isPresent() && r.get().expectMapping()) {
      ConfigNode rn = r.get();
      rn.allowOnly(RETRY_KEYS);
      Duration first = rn.duration("first", DEFAULT_RETRY.first(), Duration.ofMillis(100), Duration.ofHours(1));
      Duration max = rn.duration("max", DEFAULT_RETRY.max().compareTo(first) >= 0 ? DEFAULT_RETRY.max() : first,
          first, Duration.ofDays(1));
      Duration giveUp = rn.duration("giveUpAfter", DEFAULT_RETRY.giveUpAfter(), Duration.ofSeconds(1),
          Duration.ofDays(7));
      retry = new Retry(first, max, giveUp);
    }
    return Optional.of(new Notify(publicUrl, email, webhooks, retry));
  }

  private static Optional<Email> email(ConfigDocument doc, ConfigNode e, Path base) {
    if (!e.expectMapping()) {
      return Optional.empty();
    }
    e.allowOnly(EMAIL_KEYS);
    String from = e.string("from").trim();
    if (e.get("from").isPresent() && !isAddress(from)) {
      e.get("from").orElseThrow().invalid("be an e-mail address such as sangfroid@centre.example");
    }
    List<String> to = new ArrayList<>();
    Optional<ConfigNode> toNode = e.require("to");
    if (toNode.isPresent()) {
      int before = doc.problems().size();
      List<ConfigNode> list = toNode.get().elements();
      for (ConfigNode t : list) {
        String address = t.text().orElse("").trim();
        if (isAddress(address)) {
          to.add(address);
        } else {
          t.invalid("be an e-mail address such as qa@centre.example");
        }
      }
      if (list.isEmpty() && doc.problems().size() == before) {
        toNode.get().problem("notify.email.to must list at least one address");
      }
    }
    Optional<ConfigNode> smtp = e.require("smtp");
    if (smtp.isEmpty() || !smtp.get().expectMapping()) {
      return Optional.empty();
    }
    ConfigNode s = smtp.get();
    s.allowOnly(SMTP_KEYS);
    String host = s.string("host").trim();
    int port = s.integer("port", DEFAULT_SMTP_PORT, 1, 65535);
    boolean startTls = s.bool("startTls", false);
    Optional<ConfigNode> username = s.get("username");
    Optional<String> user = username.flatMap(ConfigNode::text).map(String::trim);
    if (user.isPresent() && user.get().isEmpty()) {
      username.get().invalid("not be empty");
    }
    Optional<ConfigNode> passwordFile = s.get("passwordFile");
    Optional<Path> secret = passwordFile.flatMap(p -> readableFile(p, base));
    if (passwordFile.isPresent() && user.isEmpty()) {
      passwordFile.get().problem("notify.email.smtp.passwordFile needs notify.email.smtp.username");
    }
    if (host.isEmpty() || !isAddress(from) || to.isEmpty()) {
      return Optional.empty(); // already reported
    }
    return Optional.of(new Email(host, port, startTls, user, secret, from, to));
  }

  private static Optional<Path> readableFile(ConfigNode p, Path base) {
    Path file = path(p, base);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      p.problem(Checks.message(p.path(), p.text().orElse(""), "be a readable file", "nothing readable at " + file));
      return Optional.empty();
    }
    return Optional.of(file);
  }

  private static Optional<URI> httpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean isAddress(String text) {
    int at = text.indexOf('@');
    return at > 0 && at == text.lastIndexOf('@') && at < text.length() - 1
        && text.chars().noneMatch(c -> Character.isWhitespace(c) || c == ',' || c == '<' || c == '>');
  }

  private static Optional<Escalation> escalation(ConfigDocument doc, ConfigNode e, boolean emailConfigured) {
    if (!e.expectMapping()) {
      return Optional.empty();
    }
    e.allowOnly(ESCALATION_KEYS);
    int before = doc.problems().size();
    List<Step> steps = new ArrayList<>();
    Duration previous = Duration.ZERO;
    Optional<ConfigNode> list = e.require("steps");
    for (ConfigNode st : e.list("steps")) {
      if (!st.expectMapping()) {
        continue;
      }
      st.allowOnly(STEP_KEYS);
      Duration after = st.duration("after", Duration.ZERO, Duration.ofMinutes(1), Duration.ofDays(7));
      st.require("after");
      if (st.get("after").isPresent() && after.compareTo(previous) <= 0 && !after.isZero()) {
        st.get("after").orElseThrow().invalid("be later than the step before (" + previous.toMinutes() + " min)");
      }
      List<String> to = new ArrayList<>();
      for (ConfigNode t : st.list("email")) {
        String address = t.text().orElse("").trim();
        if (isAddress(address)) {
          to.add(address);
        } else {
          t.invalid("be an e-mail address such as oncall@centre.example");
        }
      }
      if (!to.isEmpty() && !emailConfigured) {
        st.get("email").orElseThrow().problem("escalation e-mail needs notify.email (the SMTP server to send it)");
      }
      steps.add(new Step(after.isZero() ? Duration.ofMinutes(1) : after, to));
      previous = after;
    }
    if (list.isPresent() && steps.isEmpty() && doc.problems().size() == before) {
      list.get().problem("escalation.steps must list at least one step");
    }
    Duration repeat = e.duration("repeat", DEFAULT_ESCALATION_REPEAT, Duration.ofMinutes(1), Duration.ofDays(1));
    if (doc.problems().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Escalation(steps, repeat));
  }

  private static List<Site> sites(ConfigDocument doc, ConfigNode root, boolean emailConfigured) {
    Optional<ConfigNode> list = root.require("sites");
    if (list.isEmpty()) {
      return List.of();
    }
    int before = doc.problems().size();
    List<ConfigNode> nodes = list.get().elements();
    if (nodes.isEmpty() && doc.problems().size() == before) {
      list.get().problem("sites must list at least one site");
    }
    Map<String, Integer> siteLines = new HashMap<>();
    Map<String, Integer> unitLines = new HashMap<>();
    List<Site> sites = new ArrayList<>();
    for (ConfigNode s : nodes) {
      if (!s.expectMapping()) {
        continue;
      }
      s.allowOnly(SITE_KEYS);
      String id = id(s, "id");
      s.get("id").ifPresent(idNode -> {
        if (Topics.RESERVED_SITES.contains(id)) {
          idNode.invalid("not be " + String.join(" or ", sorted(Topics.RESERVED_SITES))
              + " (reserved MQTT topic names)");
        }
        unique(idNode, id, siteLines, "be unique");
      });
      String name = s.string("name", id);
      Map<String, Integer> agentLines = new HashMap<>();
      List<Agent> agents = new ArrayList<>();
      for (ConfigNode a : s.list("agents")) {
        if (!a.expectMapping()) {
          continue;
        }
        a.allowOnly(AGENT_KEYS);
        String agentId = id(a, "id");
        a.get("id").ifPresent(idNode -> unique(idNode, agentId, agentLines, "be unique within its site"));
        List<Unit> units = new ArrayList<>();
        for (ConfigNode u : a.list("units")) {
          if (u.expectMapping()) {
            units.add(unit(u, id, agentId, unitLines));
          }
        }
        agents.add(new Agent(id, agentId, units));
      }
      Optional<Escalation> escalation = s.get("escalation").flatMap(e -> escalation(doc, e, emailConfigured));
      sites.add(new Site(id, name, agents, escalation, s.get("language").flatMap(GatewayConfig::language)));
    }
    return sites;
  }

  private static Unit unit(ConfigNode u, String site, String agent, Map<String, Integer> unitLines) {
    u.allowOnly(UNIT_KEYS);
    String id = id(u, "id");
    u.get("id").ifPresent(idNode -> unique(idNode, id, unitLines, "be unique across the gateway"));
    String name = u.string("name", id);
    String profileId = u.oneOf("profile", new LinkedHashSet<>(Profiles.ids()));
    Profile base = Profiles.byId(profileId).orElse(Profiles.byId(Profiles.ids().get(0)).orElseThrow());
    Duration delay = u.duration("delay", base.delay(), Duration.ZERO, Duration.ofDays(1));
    double hysteresis = base.hysteresis();
    Optional<Double> h = u.decimal("hysteresis");
    if (h.isPresent()) {
      if (h.get() < 0 || h.get() > 10) {
        u.get("hysteresis").orElseThrow().invalid("be a number of °C from 0 to 10");
      } else {
        hysteresis = h.get();
      }
    }
    Duration lost = u.duration("monitoringLostAfter", base.monitoringLostAfter(),
        Duration.ofMinutes(1), Duration.ofDays(7));
    Profile profile = base.withTiming(delay, hysteresis, lost);
    Optional<ConfigNode> rate = u.get("rateOfChange");
    if (rate.isPresent() && rate.get().expectMapping()) {
      ConfigNode r = rate.get();
      r.allowOnly(RATE_KEYS);
      Optional<Double> perHour = r.decimal("perHour");
      r.require("perHour");
      Duration window = r.duration("window", Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofDays(1));
      if (perHour.isPresent() && (perHour.get() < 0.1 || perHour.get() > 100)) {
        r.get("perHour").orElseThrow().invalid("be a number of °C per hour from 0.1 to 100");
      } else if (perHour.isPresent()) {
        double margin = r.decimal("hysteresis").orElse(perHour.get() / 5);
        if (margin < 0 || margin >= perHour.get()) {
          r.get("hysteresis").orElseThrow().invalid("be at least 0 and below perHour (" + perHour.get() + ")");
        } else {
          profile = profile.withRule(new Rule.RateOfChange(perHour.get(), window, margin));
        }
      }
    }
    if (u.get("transitTime").isPresent()) {
      Duration transit = u.duration("transitTime", Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofDays(7));
      profile = profile.withRule(new Rule.TransitTime(transit));
    }
    return new Unit(site, agent, id, name, profile);
  }

  /** The identifier at {@code key}, or a placeholder when it is missing or invalid (already reported). */
  private static String id(ConfigNode n, String key) {
    String id = n.id(key);
    return Checks.isId(id) ? id : PLACEHOLDER;
  }

  private static void unique(ConfigNode idNode, String id, Map<String, Integer> seen, String rule) {
    if (PLACEHOLDER.equals(id)) {
      return;
    }
    Integer first = seen.putIfAbsent(id, idNode.line());
    if (first != null) {
      idNode.problem(Checks.message(idNode.path(), id, rule, "it also at line " + first));
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
