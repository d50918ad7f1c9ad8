package org.sangfroid.gateway.broker;

import com.codahale.metrics.Counter;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker inside the gateway's process: HiveMQ Community Edition, embedded, with
 * Sangfroid's own configuration rather than HiveMQ's bundled one.
 *
 * <ul>
 *   <li>one plain TCP listener on {@code bind:port} (loopback by default: put TLS in front of any
 *       other address);
 *   <li>anonymous usage statistics off;
 *   <li>a per-client queue of {@value #MAX_QUEUED_MESSAGES} messages with strategy
 *       {@code discard} (HiveMQ's default is 1,000, which loses a backlog burst to a slow
 *       subscriber). HiveMQ CE offers only {@code discard} and {@code discard-oldest}; with
 *       {@code discard} a full queue refuses the newest messages, so what the gateway does
 *       receive stays in sequence order and the agents, which keep every reading until it is
 *       acknowledged, send the refused ones again. Drops are counted: {@link #droppedMessages()};
 *   <li>file persistence under {@code dir/data}: the gateway's persistent session (its queue of
 *       batches not yet delivered) and the retained acks survive a broker restart, and a queue
 *       this long lives on disk, not in the heap. It costs about a second more at start than
 *       in-memory persistence;
 *   <li>logins: without a password file, anonymous clients on a loopback address only. With one
 *       (a Mosquitto password file, see {@link PasswordFile}), every client must log in: each agent
 *       as {@code SITE/AGENT}, allowed to publish only its own readings, status and events and to
 *       subscribe only to its own ack and the gateway's state ({@link Logins}), the gateway's own
 *       client with a secret made at each start ({@link #gatewayPassword()}). A HiveMQ extension
 *       registered in code applies this; refusals are counted ({@link #refusedLogins()}…).
 * </ul>
 *
 * <p>Directory layout under {@code dir}: {@code conf/config.xml} (rewritten at each start),
 * {@code data/}, {@code extensions/} (empty). A stopped broker can be started again on the same
 * port and directory.
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** Messages HiveMQ may queue per client before it refuses new ones. */
  public static final long MAX_QUEUED_MESSAGES = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final long START_TIMEOUT_S = 60;
  private static final long STOP_TIMEOUT_S = 30;
  private static final String DROPPED_METRIC = "com.hivemq.messages.dropped.count";

  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final EmbeddedHiveMQ hivemq;
  private final String bind;
  private final int port;
  private final Optional<Logins> logins;
  private final Optional<AccessExtension> access;

  private EmbeddedBroker(EmbeddedHiveMQ hivemq, String bind, int port, Optional<Logins> logins,
      Optional<AccessExtension> access) {
    this.hivemq = hivemq;
    this.bind = bind;
    this.port = port;
    this.logins = logins;
    this.access = access;
  }

  /**
   * Starts a broker for anonymous clients on a loopback address and waits until it accepts
   * connections.
   *
   * @see #start(String, int, Path, Optional)
   */
  public static EmbeddedBroker start(String bind, int port, Path dir) {
    return start(bind, port, dir, Optional.empty());
  }

  /**
   * Starts a broker and waits until it accepts connections.
   *
   * @param bind the address to listen on, e.g. {@code 127.0.0.1}; a loopback address unless there
   *     is a password file
   * @param port the TCP port; 0 picks a free one (see {@link #port()})
   * @param dir the broker's own directory (created if missing)
   * @param passwordFile a Mosquitto password file: every client must log in; empty: anonymous
   * @throws BrokerException if it cannot start (port taken, directory not writable, password file
   *     unreadable…)
   */
  public static EmbeddedBroker start(String bind, int port, Path dir, Optional<Path> passwordFile) {
    Checks.require(bind != null && !bind.isBlank(), "bind", bind, "be an address such as 127.0.0.1");
    Checks.require(port >= 0 && port <= 65535, "port", port, "be from 0 to 65535");
    Checks.require(passwordFile.isPresent() || isLoopback(bind), "bind", bind,
        "be a loopback address such as 127.0.0.1 when there is no password file (anyone who reaches the broker"
            + " could publish as any agent)");
    Optional<Logins> logins = passwordFile.map(f -> Logins.open(f, new SecureRandom()));
    Optional<AccessExtension> access = logins.map(AccessExtension::new);
    int chosen = port == 0 ? freePort(bind) : port;
    Path conf = dir.resolve("conf");
    Path data = dir.resolve("data");
    Path extensions = dir.resolve("extensions");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(data);
      Files.createDirectories(extensions);
      Files.writeString(conf.resolve("config.xml"), configXml(bind, chosen), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BrokerException("broker directory [" + dir + "] must be writable: " + e.getMessage(), e);
    }
    EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(conf)
        .withDataFolder(data)
        .withExtensionsFolder(extensions)
        .withoutLoggingBootstrap();
    access.ifPresent(a -> builder.withEmbeddedExtension(EmbeddedExtension.builder()
        .withId("sangfroid-logins")
        .withName("Sangfroid agent logins")
        .withVersion("1")
        .withAuthor("Sangfroid")
        .withExtensionMain(a)
        .build()));
    EmbeddedHiveMQ hivemq = builder.build();
    try {
      hivemq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(hivemq);
      throw new BrokerException("interrupted while starting the MQTT broker", e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hivemq);
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new BrokerException(
          "MQTT broker cannot start on " + bind + ":" + chosen + ": " + cause.getMessage(), cause);
    }
    EmbeddedBroker broker = new EmbeddedBroker(hivemq, bind, chosen, logins, access);
    if (access.isPresent() && !access.get().started()) {
      broker.close(); // it would let anyone in
      throw new BrokerException("MQTT broker cannot start on " + bind + ":" + chosen
          + ": its login extension did not start (see the log above)", null);
    }
    LOG.info("MQTT broker listening on {}, {}", broker.url(),
        passwordFile.map(f -> "logins from " + f).orElse("anonymous clients (loopback only)"));
    return broker;
  }

  /**
   * True for {@code localhost} and loopback IP literals ({@code 127.x.x.x}, {@code ::1}); false
   * for any other address or host name (it may reach a network). Never asks DNS.
   */
  public static boolean isLoopback(String bind) {
    String b = bind.strip();
    if (b.startsWith("[") && b.endsWith("]")) {
      b = b.substring(1, b.length() - 1);
    }
    if (b.toLowerCase(Locale.ROOT).equals("localhost") || IPV4_LOOPBACK.matcher(b).matches()) {
      return true;
    }
    if (!IPV6_LITERAL.matcher(b).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(b).isLoopbackAddress(); // a literal with ':': parsed, not looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** True when clients must log in (the broker was started with a password file). */
  public boolean requiresLogin() {
    return logins.isPresent();
  }

  /** The username the gateway's own client logs in with, when {@link #requiresLogin()}. */
  public Optional<String> gatewayUsername() {
    return logins.map(l -> Logins.GATEWAY_USER);
  }

  /**
   * The gateway's password, when {@link #requiresLogin()}: random, made at this start, never
   * written anywhere. A copy each call.
   */
  public Optional<char[]> gatewayPassword() {
    return logins.map(Logins::gatewayPassword);
  }

  /** CONNECTs refused since start: unknown user, wrong password, anonymous, another's client id. */
  public long refusedLogins() {
    return access.map(AccessExtension::refusedLogins).orElse(0L);
  }

  /** PUBLISHes refused since start (outside the agent's own topics, or a revoked login); each closed its connection. */
  public long refusedPublishes() {
    return access.map(AccessExtension::refusedPublishes).orElse(0L);
  }

  /** SUBSCRIBEs refused since start (another agent's ack, a wildcard…). */
  public long refusedSubscriptions() {
    return access.map(AccessExtension::refusedSubscriptions).orElse(0L);
  }

  /** The TCP port the broker listens on. */
  public int port() {
    return port;
  }

  /** {@code tcp://bind:port}, for MQTT clients. */
  public String url() {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    return "tcp://" + host + ":" + port;
  }

  /** Messages HiveMQ dropped since it started (queue full and other causes). */
  public long droppedMessages() {
    Counter c = hivemq.getMetricRegistry().getCounters().get(DROPPED_METRIC);
    return c == null ? 0 : c.getCount();
  }

  /** Stops the broker and waits for it (at most {@value #STOP_TIMEOUT_S} s); idempotent. */
  @Override
  public void close() {
    try {
      hivemq.stop().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("MQTT broker did not stop cleanly: {}", e.toString());
    }
    closeQuietly(hivemq);
    LOG.info("MQTT broker on {} stopped", url());
  }

  private static void closeQuietly(EmbeddedHiveMQ hivemq) {
    try {
      hivemq.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("MQTT broker did not close cleanly: {}", e.toString());
    }
  }

  private static int freePort(String bind) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bind, e);
    }
  }

  static String configXml(String bind, int port) {
    return """
        <?xml version="1.0"?>
        <!-- Written by the Sangfroid gateway at each start; edits are overwritten. -->
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
              <strategy>discard</strategy>
            </queued-messages>
          </mqtt>
          <persistence>
            <mode>file</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """.formatted(port, xmlEscape(bind), MAX_QUEUED_MESSAGES);
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
