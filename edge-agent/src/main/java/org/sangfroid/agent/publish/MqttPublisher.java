package org.sangfroid.agent.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.outbox.EventOutbox;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.tls.BrokerTls;
import org.sangfroid.agent.tls.TlsFailures;
import org.sangfroid.agent.tls.TlsFileException;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.net.NoDelaySocketFactory;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the gateway over MQTT (Paho mqttv3, QoS 1, persistent session).
 *
 * <p>Store and forward: a reading moves <em>stored</em> (in the outbox) → <em>sent</em>
 * (published, {@code seq <= sentUpTo}) → <em>acked</em> (the gateway says on the agent's
 * {@code ack} topic that it stored everything up to {@code seq}; the row is deleted). A broker
 * PUBACK is never a reason to delete: brokers drop queued messages when a subscriber's queue
 * overflows. Paho's own persistence and offline buffer are not used (memory persistence only):
 * the SQLite outbox is the record.
 *
 * <p>In-flight readings on a new MQTT session: after every connect the publisher resends
 * everything the gateway has not acked ({@code sentUpTo = ackedUpTo}), accepting duplicates,
 * which the gateway drops by (agent, seq). It does the same when the ack makes no progress for
 * {@code ackTimeout}, and then sends one batch at a time until the gateway acks again, so a long
 * gateway outage does not pile duplicates up at the broker. Otherwise at most
 * {@code maxBatchesInFlight} batches wait for the gateway's ack.
 *
 * <p>Threads: one loop ({@link #start}) connects with exponential backoff (Paho's automatic
 * reconnect is off), then publishes; Paho's callback thread only records acks and wakes the
 * loop. The loop publishes the retained status (outbox depth, oldest waiting reading, readings
 * dropped) on each connect and again every {@code statusInterval}. {@link #close()} publishes
 * the offline status, disconnects and stops the loop.
 *
 * <p>Events (door, power, agitator, mute, local alarms), when an {@link EventOutbox} is given,
 * travel in a priority lane ({@link EventLane}): at each turn of the loop, before any readings
 * batch and regardless of the readings' window, with their own sequence and ack.
 */
public final class MqttPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttPublisher.class);

  /** The most batches waiting for the gateway's ack. */
  public static final int DEFAULT_MAX_BATCHES_IN_FLIGHT = 20;
  /** How often the retained status is published again while connected. */
  public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofMinutes(1);
  /** How long the loop idles before looking at the outbox again when nothing woke it. */
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);
  private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final int CONNECT_TIMEOUT_SECONDS = 10;
  private static final int KEEP_ALIVE_SECONDS = 30;
  private static final int SUBSCRIBE_FAILED = 0x80;

  /**
   * What the publisher needs to know.
   *
   * @param serverUri {@code tcp://host:port} or {@code ssl://host:port}
   * @param passwordFile read at every connect, so a rotated secret is picked up
   * @param reconnectMin first reconnect delay (1 s), doubling up to {@code reconnectMax} (60 s)
   * @param version this agent's software version, for the birth message
   * @param startedAt when the agent started, epoch ms, for the birth message
   * @param statusInterval how often the retained status is published again while connected
   *     (1 min), so the gateway sees the outbox's depth, oldest waiting reading and drops
   * @param tls for {@code ssl://}: the CA and client certificate files, read at every connect;
   *     empty: the JVM's default TLS (system CAs)
   */
  public record Settings(
      String serverUri,
      String site,
      String agent,
      Optional<String> username,
      Optional<Path> passwordFile,
      int batchSize,
      Duration ackTimeout,
      int maxBatchesInFlight,
      Duration reconnectMin,
      Duration reconnectMax,
      String version,
      long startedAt,
      Duration statusInterval,
      Optional<BrokerTls> tls) {

    public Settings {
      Checks.requireNonNull("serverUri", serverUri);
      Checks.requireId("site", site);
      Checks.requireId("agent", agent);
      Checks.requireNonNull("username", username);
      Checks.requireNonNull("passwordFile", passwordFile);
      Checks.require(batchSize >= 1 && batchSize <= ReadingBatch.MAX_READINGS, "batchSize", batchSize,
          "be from 1 to " + ReadingBatch.MAX_READINGS);
      Checks.require(ackTimeout.toMillis() > 0, "ackTimeout", ackTimeout, "be positive");
      Checks.require(maxBatchesInFlight >= 1, "maxBatchesInFlight", maxBatchesInFlight, "be at least 1");
      Checks.requireNonNull("version", version);
      Checks.require(statusInterval.toMillis() > 0, "statusInterval", statusInterval, "be positive");
      Checks.requireNonNull("tls", tls);
    }

    /** Settings without TLS files. */
    public Settings(String serverUri, String site, String agent, Optional<String> username,
        Optional<Path> passwordFile, int batchSize, Duration ackTimeout, int maxBatchesInFlight,
        Duration reconnectMin, Duration reconnectMax, String version, long startedAt, Duration statusInterval) {
      this(serverUri, site, agent, username, passwordFile, batchSize, ackTimeout, maxBatchesInFlight,
          reconnectMin, reconnectMax, version, startedAt, statusInterval, Optional.empty());
    }

    /** The settings of {@code config}: reconnect 1 s → 60 s, 20 batches in flight. */
    public static Settings from(AgentConfig config, String version, long startedAt) {
      return new Settings(config.broker().url(), config.site(), config.agent(),
          config.broker().username(), config.broker().passwordFile(),
          config.publish().batchSize(), config.publish().ackTimeout(), DEFAULT_MAX_BATCHES_IN_FLIGHT,
          Duration.ofSeconds(1), Duration.ofSeconds(60), version, startedAt, DEFAULT_STATUS_INTERVAL,
          config.broker().tls());
    }

    /** A copy with other reconnect delays. */
    public Settings withReconnect(Duration min, Duration max) {
      return new Settings(serverUri, site, agent, username, passwordFile, batchSize, ackTimeout,
          maxBatchesInFlight, min, max, version, startedAt, statusInterval, tls);
    }

    /** True for an {@code ssl://} broker. */
    public boolean secure() {
      return serverUri.toLowerCase(Locale.ROOT).startsWith("ssl://");
    }

    /** {@code sangfroid-agent-{site}-{agent}}: stable, so the broker keeps the session. */
    public String clientId() {
      return "sangfroid-agent-" + site + "-" + agent;
    }
  }

  private final Settings settings;
  private final Outbox outbox;
  private final Clock clock;
  private final MqttAsyncClient client;
  private final String readingsTopic;
  private final String ackTopic;
  private final String statusTopic;
  private final Backoff backoff;
  private final Wakeup wakeup = new Wakeup();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong ackedUpTo = new AtomicLong();
  private final Optional<EventLane> events;

  private final Counter published;
  private final Counter ackedReadings;
  private final Counter invalidAcks;
  private final Counter connectFailures;
  private final Counter resends;
  private final Counter loopErrors;
  private final Counter statusesPublished;

  // Owned by the loop thread.
  private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
  private long sentUpTo;
  private long appliedAck;
  private long lastProgress;
  /** Clock time of the last status published on this connection. */
  private long lastStatus;
  /** Batches allowed in flight: the full window, or 1 after an ack timeout until the gateway acks. */
  private int window;

  private Future<?> loop;
  private volatile boolean closed;
  /** Why the last connect failed; empty once connected. */
  private volatile Optional<String> connectProblem = Optional.empty();
  private final Supplier<List<AgentStatus.Probe>> probes;

  /** A publisher of readings only, whose status lists no probes. */
  public MqttPublisher(Settings settings, Outbox outbox, Clock clock, MeterRegistry meters) {
    this(settings, outbox, Optional.empty(), clock, meters, List::of);
  }

  /** A publisher of readings and, ahead of them, the events of {@code events}; no probes in the status. */
  public MqttPublisher(Settings settings, Outbox outbox, EventOutbox events, Clock clock, MeterRegistry meters) {
    this(settings, outbox, Optional.of(events), clock, meters, List::of);
  }

  /**
   * A publisher of readings only.
   *
   * @param probes each probe's state for the status (called on the publishing thread); must not
   *     block
   */
  public MqttPublisher(Settings settings, Outbox outbox, Clock clock, MeterRegistry meters,
      Supplier<List<AgentStatus.Probe>> probes) {
    this(settings, outbox, Optional.empty(), clock, meters, probes);
  }

  /** A publisher of readings and, ahead of them, the events of {@code events}; probes as above. */
  public MqttPublisher(Settings settings, Outbox outbox, EventOutbox events, Clock clock, MeterRegistry meters,
      Supplier<List<AgentStatus.Probe>> probes) {
    this(settings, outbox, Optional.of(events), clock, meters, probes);
  }

  private MqttPublisher(Settings settings, Outbox outbox, Optional<EventOutbox> events, Clock clock,
      MeterRegistry meters, Supplier<List<AgentStatus.Probe>> probes) {
    this.probes = Checks.requireNonNull("probes", probes);
    this.settings = Checks.requireNonNull("settings", settings);
    this.events = events.map(e -> new EventLane(e, settings.site(), settings.agent(), settings.ackTimeout(),
        meters));
    this.outbox = Checks.requireNonNull("outbox", outbox);
    this.clock = Checks.requireNonNull("clock", clock);
    this.readingsTopic = Topics.agent(settings.site(), settings.agent(), Topics.Kind.READINGS);
    this.ackTopic = Topics.agent(settings.site(), settings.agent(), Topics.Kind.ACK);
    this.statusTopic = Topics.agent(settings.site(), settings.agent(), Topics.Kind.STATUS);
    this.window = settings.maxBatchesInFlight();
    this.backoff = new Backoff(settings.reconnectMin(), settings.reconnectMax(),
        () -> ThreadLocalRandom.current().nextDouble());
    this.published = meters.counter("sangfroid.agent.readings.published");
    this.ackedReadings = meters.counter("sangfroid.agent.readings.acked");
    this.invalidAcks = meters.counter("sangfroid.agent.acks.invalid");
    this.connectFailures = meters.counter("sangfroid.agent.mqtt.connect.failures");
    this.resends = meters.counter("sangfroid.agent.resends");
    this.loopErrors = meters.counter("sangfroid.agent.publisher.errors");
    this.statusesPublished = meters.counter("sangfroid.agent.statuses.published");
    try {
      // Memory persistence only: Paho's file persistence loses data; the outbox is the record.
      this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException(
          Checks.message("broker.url", settings.serverUri(), "be a valid MQTT server URI", e.getMessage()), e);
    }
    client.setCallback(new Callback());
  }

  /** Starts the connect-and-drain loop on {@code executor} (one thread, held until close). */
  public synchronized void start(ExecutorService executor) {
    if (loop != null || closed) {
      throw new IllegalStateException("Publisher already started or closed");
    }
    loop = executor.submit(this::run);
  }

  /** Wakes the loop: new readings are in the outbox. Cheap, never blocks. */
  public void wake() {
    wakeup.raise();
  }

  /** The highest sequence number the gateway has acknowledged (0 until the first ack). */
  public long ackedUpTo() {
    return ackedUpTo.get();
  }

  /** The highest event seq the gateway has acknowledged (0 until the first, or without events). */
  public long ackedEventsUpTo() {
    return events.map(EventLane::ackedUpTo).orElse(0L);
  }

  /** Whether the MQTT connection is up. */
  public boolean isConnected() {
    return client.isConnected();
  }

  /** Why the last attempt to connect failed, while not connected; empty once connected. */
  public Optional<String> connectProblem() {
    return client.isConnected() ? Optional.empty() : connectProblem;
  }

  // ---- the loop ----

  private void run() {
    log.info("Publishing to {} as {}", settings.serverUri(), settings.clientId());
    while (!closed) {
      try {
        applyAck();
        events.ifPresent(lane -> lane.applyAck(clock.millis()));
        if (!client.isConnected()) {
          Optional<String> failure = connect();
          connectProblem = failure;
          if (failure.isPresent()) {
            Duration delay = backoff.next();
            connectFailures.increment();
            log.warn("{}; next attempt in {} s", failure.get(),
                String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0));
            if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
              break;
            }
          }
          continue;
        }
        drainOnce();
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("Publisher loop interrupted; stopping");
        }
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable t) {
        // Guard the loop: a bug or a disk error must not stop publishing for good.
        loopErrors.increment();
        log.error("Publisher loop failed; trying again in {} s", IDLE_POLL.toSeconds(), t);
        try {
          if (closing.await(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    log.debug("Publisher loop stopped");
  }

  /** Applies the latest gateway ack: forgets acknowledged rows and frees the in-flight window. */
  private void applyAck() {
    long acked = ackedUpTo.get();
    if (acked <= appliedAck) {
      return;
    }
    if (outbox.continueAfter(acked)) {
      log.error("The gateway has stored readings up to seq {}, but this outbox ({}) never numbered that far:"
          + " it was replaced. Waiting readings were renumbered to follow seq {} so the gateway keeps them.",
          acked, outbox.file(), acked);
      sentUpTo = acked;
      inFlight.clear();
    }
    int deleted = outbox.deleteUpTo(acked);
    ackedReadings.increment(deleted);
    appliedAck = acked;
    while (!inFlight.isEmpty() && inFlight.peekFirst() <= acked) {
      inFlight.removeFirst();
    }
    lastProgress = clock.millis();
    window = settings.maxBatchesInFlight();
    log.debug("Gateway acked up to {}; {} rows deleted, {} waiting", acked, deleted, outbox.depth());
  }

  /** Connects and sets the session up; empty on success, else what went wrong. */
  private Optional<String> connect() {
    try {
      client.connect(options()).waitForCompletion(CONNECT_WAIT.toMillis());
    } catch (MqttException | IOException | RuntimeException e) {
      resetAfterFailedConnect(e);
      return Optional.of("Cannot connect to " + settings.serverUri() + ": "
          + describeConnectFailure(e, settings, clock.millis()));
    }
    try {
      onConnected();
      backoff.reset();
      return Optional.empty();
    } catch (MqttException | RuntimeException e) {
      disconnectQuietly();
      return Optional.of("Connected to " + settings.serverUri() + " but could not set up the session: "
          + describe(e));
    }
  }

  private void resetAfterFailedConnect(Exception e) {
    if (e instanceof MqttException m && m.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
      // Our wait ran out while Paho still connects: stop it, or the next attempt is refused.
      disconnectQuietly();
    }
  }

  private MqttConnectOptions options() throws IOException {
    MqttConnectOptions o = connectOptions(settings);
    // A persistent session: the broker keeps the ack subscription while the link is down.
    o.setCleanSession(false);
    // Room for our window of batches plus status messages; the gateway's ack bounds the rest.
    o.setMaxInflight(settings.maxBatchesInFlight() + 10);
    o.setWill(statusTopic, WireCodec.encode(AgentStatus.lastWill()), 1, true);
    return o;
  }

  /** What every connection of this agent shares: protocol, timeouts, socket (TLS for ssl://), credentials. */
  private static MqttConnectOptions connectOptions(Settings settings) throws IOException {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    // Our own loop reconnects (with backoff, and the resend that a new session needs).
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
    o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
    o.setSocketFactory(socketFactory(settings));
    // The broker's certificate must name the host of broker.url (Paho's default; said here).
    o.setHttpsHostnameVerificationEnabled(true);
    if (settings.username().isPresent()) {
      o.setUserName(settings.username().get());
    }
    if (settings.passwordFile().isPresent()) {
      o.setPassword(readPassword(settings.passwordFile().get()));
    }
    return o;
  }

  /**
   * The sockets for the broker of {@code settings}, with TCP_NODELAY: for {@code ssl://}, TLS
   * from {@code settings.tls()} (its files read now, so a renewed certificate is used at the next
   * connect) or the JVM's defaults; plain otherwise.
   *
   * @throws org.sangfroid.agent.tls.TlsFileException if a TLS file cannot be used
   */
  static SocketFactory socketFactory(Settings settings) {
    if (!settings.secure()) {
      return NoDelaySocketFactory.plain();
    }
    return NoDelaySocketFactory.tls(settings.tls().map(BrokerTls::socketFactory)
        .orElseGet(() -> (SSLSocketFactory) SSLSocketFactory.getDefault()));
  }

  /**
   * A failed connect in a technician's words: a TLS problem as {@link TlsFailures} tells it,
   * anything else as Paho reports it.
   *
   * @param now the device's time, epoch ms (a certificate "not valid yet" means a clock not yet set)
   */
  static String describeConnectFailure(Exception e, Settings settings, long now) {
    if (e instanceof TlsFileException) {
      return e.getMessage();  // a TLS file changed since the agent started
    }
    if (settings.secure()) {
      Optional<String> tls = TlsFailures.describe(e, settings.tls().orElse(BrokerTls.systemDefaults()),
          URI.create(settings.serverUri()).getHost(), now);
      if (tls.isPresent()) {
        return tls.get();
      }
    }
    return describe(e);
  }

  /**
   * Connects once as the agent of {@code settings} would (its credentials, TLS for ssl://) but
   * under a client id of its own with a clean session and no last will, so a running agent keeps
   * its session; subscribes to the agent's ack topic to check its permissions; disconnects. For
   * the self-test.
   *
   * @return empty when the broker let it in and subscribe, else what went wrong, for a technician
   */
  public static Optional<String> checkConnection(Settings settings, Duration timeout) {
    MqttAsyncClient probe;
    try {
      probe = new MqttAsyncClient(settings.serverUri(), "sangfroid-selftest-" + settings.site() + "-"
          + settings.agent(), new MemoryPersistence());
    } catch (MqttException | RuntimeException e) {
      return Optional.of("the broker address is not valid: " + describe(e));
    }
    try {
      MqttConnectOptions o = connectOptions(settings);
      o.setCleanSession(true);
      probe.connect(o).waitForCompletion(timeout.toMillis());
      String ack = Topics.agent(settings.site(), settings.agent(), Topics.Kind.ACK);
      IMqttToken sub = probe.subscribe(ack, 1);
      sub.waitForCompletion(timeout.toMillis());
      int[] granted = sub.getGrantedQos();
      if (granted == null || granted.length == 0 || granted[0] == SUBSCRIBE_FAILED) {
        return Optional.of("connected, but the broker refused the subscription to " + ack
            + " (check this agent's permissions on the broker)");
      }
      return Optional.empty();
    } catch (MqttException | IOException | RuntimeException e) {
      // The self-test runs at once: the settings' start time is its "now" for a certificate's dates.
      return Optional.of("cannot connect: " + describeConnectFailure(e, settings, settings.startedAt()));
    } finally {
      try {
        if (probe.isConnected()) {
          probe.disconnect(1000).waitForCompletion(timeout.toMillis());
        } else {
          probe.disconnectForcibly(0, 1000, false); // a connect still under way
        }
      } catch (MqttException | RuntimeException e) {
        log.debug("Self-test disconnect: {}", describe(e));
      }
      try {
        probe.close(true);
      } catch (MqttException | RuntimeException e) {
        log.debug("Self-test close: {}", describe(e));
      }
    }
  }

  private static char[] readPassword(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // Editors add a final newline; a password never ends with one.
    return text.replaceAll("[\\r\\n]+$", "").toCharArray();
  }

  /**
   * The retained online status: version, start, the outbox's depth, oldest waiting reading and
   * drops, and each probe's state.
   */
  private AgentStatus status() {
    return new AgentStatus(true, settings.version(), settings.startedAt(), outbox.depth(), outbox.oldestTime(),
        OptionalLong.of(outbox.dropped()), probes.get());
  }

  /** Publishes the status again when {@code statusInterval} has passed since the last one. */
  private void publishStatusIfDue(long now) {
    if (now >= lastStatus && now - lastStatus < settings.statusInterval().toMillis()) {
      return;
    }
    try {
      client.publish(statusTopic, WireCodec.encode(status()), 1, true);
      statusesPublished.increment();
      lastStatus = now;
    } catch (MqttException e) {
      // Paho's window is full or the link just dropped: try again on the next turn of the loop.
      log.debug("Publishing the status failed: {}", describe(e));
    }
  }

  private void onConnected() throws MqttException {
    client.publish(statusTopic, WireCodec.encode(status()), 1, true);
    statusesPublished.increment();
    lastStatus = clock.millis();
    IMqttToken sub = client.subscribe(ackTopic, 1);
    sub.waitForCompletion(SUBSCRIBE_WAIT.toMillis());
    int[] granted = sub.getGrantedQos();
    if (granted == null || granted.length == 0 || granted[0] == SUBSCRIBE_FAILED) {
      throw new IllegalStateException("the broker refused the subscription to " + ackTopic
          + " (check the broker's permissions for this agent)");
    }
    // A new session: whatever was sent but not acked may be lost; send it again.
    long acked = ackedUpTo.get();
    sentUpTo = acked;
    inFlight.clear();
    lastProgress = clock.millis();
    events.ifPresent(lane -> lane.onConnected(lastProgress));
    log.info("Connected to {}; {} readings waiting, sending from seq {}", settings.serverUri(),
        outbox.depth(), acked + 1);
  }

  private void drainOnce() throws InterruptedException {
    long now = clock.millis();
    if (now < lastProgress) {
      lastProgress = now; // the device clock stepped back (NTP on a Pi without RTC)
    }
    publishStatusIfDue(now);
    // The priority lane: events go out before any readings batch, whatever the readings' window.
    events.ifPresent(lane -> lane.publish(client, now));
    long acked = ackedUpTo.get();
    if (!inFlight.isEmpty() && now - lastProgress >= settings.ackTimeout().toMillis()) {
      resends.increment();
      log.warn("No ack progress from the gateway for {} s (acked up to {}, sent up to {}): resending from seq {}",
          settings.ackTimeout().toSeconds(), acked, sentUpTo, acked + 1);
      sentUpTo = acked;
      inFlight.clear();
      lastProgress = now;
      // The gateway may be down for hours: probe with one batch per timeout instead of
      // queueing the whole window again at the broker each time. Its next ack reopens it.
      window = 1;
    }
    Duration untilTimeout = Duration.ofMillis(
        Math.max(1, lastProgress + settings.ackTimeout().toMillis() - now));
    if (events.isPresent()) {
      untilTimeout = min(untilTimeout, events.get().untilDue(now));
    }
    if (inFlight.size() >= window) {
      wakeup.await(untilTimeout);
      return;
    }
    long after = Math.max(acked, sentUpTo);
    List<Reading> batch = outbox.readAfter(after, settings.batchSize());
    if (batch.isEmpty()) {
      wakeup.await(inFlight.isEmpty() ? IDLE_POLL : min(IDLE_POLL, untilTimeout));
      return;
    }
    // "oldest": the agent holds nothing older, so a gateway missing older readings records a gap.
    // "gaps": the holes the full outbox left among these readings, which will never come either.
    ReadingBatch message = new ReadingBatch(settings.site(), settings.agent(), outbox.oldestSeq(),
        gaps(after, batch), batch);
    try {
      client.publish(readingsTopic, WireCodec.encode(message), 1, false);
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
        wakeup.await(Duration.ofMillis(50)); // Paho's window is full: let PUBACKs come back
      } else {
        log.warn("Publishing readings {}..{} failed: {}", message.firstSeq(), message.lastSeq(), describe(e));
        wakeup.await(Duration.ofMillis(100));
      }
      return;
    }
    published.increment(batch.size());
    if (inFlight.isEmpty()) {
      lastProgress = now;
    }
    inFlight.addLast(message.lastSeq());
    sentUpTo = message.lastSeq();
  }

  /**
   * The seqs after {@code after} and below the batch's last one that the batch lacks. Every seq
   * up to {@code after} was acked or sent, and the outbox numbers without holes, so each of
   * these was dropped from the full outbox.
   */
  static List<ReadingBatch.Gap> gaps(long after, List<Reading> batch) {
    List<ReadingBatch.Gap> gaps = new ArrayList<>();
    long expected = after + 1;
    for (Reading r : batch) {
      if (r.seq() > expected) {
        gaps.add(new ReadingBatch.Gap(expected, r.seq() - 1));
      }
      expected = r.seq() + 1;
    }
    return gaps;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String describe(Throwable e) {
    String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
    return e.getMessage() + cause;
  }

  private void disconnectQuietly() {
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException | RuntimeException ignored) {
      // Already gone.
    }
  }

  // ---- Paho's callback thread: record, wake, never throw ----

  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      try {
        log.warn("Lost the connection to {}: {}", settings.serverUri(), cause == null ? "" : describe(cause));
        wakeup.raise();
      } catch (Throwable t) {
        log.error("connectionLost handler failed", t);
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        if (!ackTopic.equals(topic)) {
          log.debug("Ignoring a message on {}", topic);
          return;
        }
        Decoded<Ack> decoded = WireCodec.decodeAck(message.getPayload());
        if (decoded instanceof Decoded.Valid<Ack> valid) {
          long upTo = valid.value().upTo();
          ackedUpTo.accumulateAndGet(upTo, Math::max);
          events.ifPresent(lane -> lane.onAck(valid.value().eventsUpTo()));
          wakeup.raise();
        } else if (decoded instanceof Decoded.Invalid<Ack> invalid) {
          invalidAcks.increment();
          log.warn("Ignoring an invalid ack on {}: {}", topic, invalid.reason());
        }
      } catch (Throwable t) {
        log.error("Handling a message on {} failed", topic, t);
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // A PUBACK only means the broker has it; the gateway's ack decides what is forgotten.
    }
  }

  // ---- shutdown ----

  /**
   * Stops the loop (bounded wait), publishes the retained offline status, disconnects and
   * releases Paho's threads. Readings not yet acked stay in the outbox. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closing.countDown();
    wakeup.raise();
    stopLoop();
    if (client.isConnected()) {
      try {
        client.publish(statusTopic, WireCodec.encode(AgentStatus.lastWill()), 1, true)
            .waitForCompletion(CLOSE_WAIT.toMillis());
      } catch (MqttException | RuntimeException e) {
        log.warn("Could not publish the offline status: {}", describe(e));
      }
      try {
        client.disconnect(1000).waitForCompletion(CLOSE_WAIT.toMillis());
      } catch (MqttException | RuntimeException e) {
        disconnectQuietly();
      }
    }
    try {
      client.close(true);
    } catch (MqttException | RuntimeException e) {
      log.debug("Closing the MQTT client: {}", describe(e));
    }
    log.info("Publisher stopped; acked up to {}, {} readings stay in the outbox", ackedUpTo.get(), outbox.depth());
  }

  private void stopLoop() {
    Future<?> running;
    synchronized (this) {
      running = loop;
    }
    if (running == null) {
      return;
    }
    try {
      running.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Publisher loop did not stop within {} s; interrupting it", CLOSE_WAIT.toSeconds());
      running.cancel(true);
    } catch (InterruptedException e) {
      running.cancel(true);
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.error("Publisher loop ended with an error", e.getCause());
    } catch (CancellationException e) {
      // Cancelled by the executor's owner already.
    }
  }
}
