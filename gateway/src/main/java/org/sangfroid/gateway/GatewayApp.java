package org.sangfroid.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.alarm.Escalations;
import org.sangfroid.gateway.alarm.MonitoringCheck;
import org.sangfroid.gateway.alarm.NotificationFailures;
import org.sangfroid.gateway.alarm.TickLoop;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.audit.ConfigRecord;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.config.GatewayConfig.Embedded;
import org.sangfroid.gateway.config.GatewayConfig.External;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.MqttLink;
import org.sangfroid.gateway.notify.Backoff;
import org.sangfroid.gateway.notify.Channel;
import org.sangfroid.gateway.notify.Dispatcher;
import org.sangfroid.gateway.notify.MailLanguages;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.Database;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.NotificationRow;
import org.sangfroid.gateway.user.Users;
import org.sangfroid.gateway.web.WebApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway, wired: the database ({@code dataDir/gateway.db}, or the configured PostgreSQL
 * database), the embedded MQTT broker
 * ({@code dataDir/broker/}) unless an external one is configured, the MQTT ingest, the engine's
 * monitoring tick, the alarm notifications (when configured), and the HTTP API. {@link #close()}
 * stops them in reverse order; a closed gateway can be started again on the same data directory
 * and continues where it stopped.
 */
public final class GatewayApp implements AutoCloseable {
  /** The database file's name inside the data directory. */
  public static final String DATABASE = "gateway.db";
  /** The embedded broker's directory inside the data directory. */
  public static final String BROKER_DIR = "broker";

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
  private static final Duration FIRST_CONNECTION_WAIT = Duration.ofSeconds(10);
  private static final Duration TICK_STOP_WAIT = Duration.ofSeconds(10);
  private static final Duration NOTIFY_STOP_WAIT = Duration.ofSeconds(5);
  /**
   * How long the units' engine states stay in memory only (SQLite): at most this many seconds of
   * readings to evaluate again at a start after a crash; saving them less often is cheaper.
   */
  private static final Duration STATES_SAVED_EVERY = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry meters;
  private final Deque<AutoCloseable> parts;
  private final String brokerUrl;
  private final int httpPort;
  private final TickLoop tick;

  private GatewayApp(PrometheusMeterRegistry meters, Deque<AutoCloseable> parts, String brokerUrl, int httpPort,
      TickLoop tick) {
    this.meters = meters;
    this.parts = parts;
    this.brokerUrl = brokerUrl;
    this.httpPort = httpPort;
    this.tick = tick;
  }

  /**
   * Starts the gateway. It waits up to 10 s for the first broker connection; if the broker is not
   * there yet, it keeps trying in the background.
   *
   * @param clock the gateway's time: arrival times, acks, the monitoring-lost check, the API
   * @throws RuntimeException if a part cannot start (port taken, database unreadable…); whatever
   *     had started is closed again
   */
  public static GatewayApp start(GatewayConfig config, Clock clock) {
    return start(config, clock, true);
  }

  /**
   * Starts the gateway for a simulation on a virtual clock: the same as {@link #start} except
   * that the engine tick (monitoring lost, inputs and trips past their delay, escalations) never
   * runs on its own. The simulator calls {@link #runTick()} each time it has moved {@code clock}
   * on and every reading up to then is acknowledged, so alarms carry simulated times and a
   * 7-day scenario runs in seconds.
   */
  public static GatewayApp startForSimulation(GatewayConfig config, Clock clock) {
    return start(config, clock, false);
  }

  private static GatewayApp start(GatewayConfig config, Clock clock, boolean scheduled) {
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      new JvmMemoryMetrics().bindTo(meters);
      new JvmThreadMetrics().bindTo(meters);
      new ProcessorMetrics().bindTo(meters);
      Fleet fleet = config.fleet();

      GatewayStore store = GatewayStore.open(database(config));
      parts.push(store);
      AuditTrail audit = new AuditTrail(clock);
      AuditTrail.logHead(store.auditHead()); // before anything is added: what this start found
      Map<String, Object> settings = ConfigRecord.details(config);
      List<Map<String, Object>> changed = ConfigRecord.unitChanges(
          store.lastAuditEntry(ConfigRecord.ACTION).map(AuditRow::details), settings);
      AuditRow loaded = store.write(tx -> {
        AuditRow last = audit.append(tx, AuditTrail.SYSTEM, ConfigRecord.ACTION, "gateway", settings);
        for (Map<String, Object> c : changed) { // a site's override is an audited change
          last = audit.append(tx, AuditTrail.SYSTEM, ConfigRecord.UNIT_CHANGED, "unit/" + c.get("unit"), c);
        }
        return last;
      });
      changed.forEach(c -> LOG.warn("Settings of unit {} changed since the last start (see the audit trail)",
          c.get("unit")));
      LOG.info("Configuration recorded in the audit trail (sha256 {})", config.sha256());
      AuditTrail.logHead(Optional.of(loaded));
      FleetMetrics.register(meters, fleet, store, clock, FleetMetrics.DEFAULT_MAX_AGE);

      String url;
      Optional<String> username = Optional.empty();
      Optional<char[]> password = Optional.empty();
      Optional<EmbeddedBroker> embedded = Optional.empty();
      if (config.broker() instanceof Embedded e) {
        EmbeddedBroker broker = EmbeddedBroker.start(e.bind(), e.port(), config.dataDir().resolve(BROKER_DIR),
            e.passwordFile());
        parts.push(broker);
        embedded = Optional.of(broker);
        FunctionCounter.builder("sangfroid.broker.messages.dropped", broker, EmbeddedBroker::droppedMessages)
            .description("Messages the embedded broker dropped (queue full…); agents send them again")
            .register(meters);
        registerRefusals(meters, broker);
        url = broker.url();
        username = broker.gatewayUsername();
        password = broker.gatewayPassword();
      } else {
        External x = (External) config.broker();
        url = x.url();
        username = x.username();
        password = x.passwordFile().map(f -> readSecret(f, "broker.passwordFile"));
      }

      AtomicReference<String> apiBase = new AtomicReference<>("http://" + config.http().bind() + ":"
          + config.http().port());
      Users users = new Users(store, clock);
      MailLanguages languages = MailLanguages.of(config, users::languageOfEmail);
      Optional<Dispatcher> notify = config.notifications().map(n -> new Dispatcher(
          Channel.of(n, clock, languages, config.http().timeZone()), store,
          () -> n.publicUrl().orElse(apiBase.get()), Backoff.of(n.retry()), clock,
          TickLoop.namedThreads("sangfroid-notify"), meters, NOTIFY_STOP_WAIT));
      notify.ifPresent(parts::push); // closed after the ingest and the tick that feed it
      Escalations escalations = new Escalations(fleet, store,
          (tx, alarm, level, onCall) -> notify.ifPresent(d -> d.queueEscalation(tx, alarm, level, onCall)), clock);
      AlarmBook book = new AlarmBook(meters, clock, (tx, change) -> {
        notify.ifPresent(d -> d.queue(tx, change));
        escalations.arm(tx, change);
      }, changes -> notify.ifPresent(Dispatcher::wake));
      Ingest ingest = new Ingest(fleet, store, book, meters, clock);
      ingest.restoreUnitStates();
      if (store.database().file().isPresent()) { // SQLite: one gateway per database, the states can stay here
        store.deferUnitStates(STATES_SAVED_EVERY);
      }
      MqttLink link = new MqttLink(url, username, password, ingest, meters);
      parts.push(link);
      if (!link.start(FIRST_CONNECTION_WAIT)) {
        LOG.warn("MQTT broker {} not reachable yet; the gateway keeps trying", url);
      }
      NotificationFailures failures = new NotificationFailures(fleet, store, book, clock);
      notify.ifPresent(d -> d.onFailure(new Dispatcher.Failures() {
        @Override
        public List<AlarmChange> record(GatewayStore.Tx tx, NotificationRow letter, String error) {
          return failures.record(tx, letter, error);
        }

        @Override
        public void committed(List<AlarmChange> changes) {
          failures.committed(changes);
          link.publishAlarms(changes);
        }
      }));
      notify.ifPresent(Dispatcher::start);

      MonitoringCheck check = new MonitoringCheck(fleet, store, book, clock);
      DropWatch drops = new DropWatch(embedded);
      TickLoop tick = new TickLoop("engine tick", () -> {
        link.publishAlarms(check.run());
        List<AlarmChange> escalated = escalations.run();
        book.committed(escalated);
        link.publishAlarms(escalated);
        drops.check();
      }, config.engine().tick(), TICK_STOP_WAIT, TickLoop.namedThreads("sangfroid-engine-tick"));
      parts.push(tick);
      tick.runOnce(); // starts the engine state of newly configured units before any API call
      if (scheduled) {
        tick.start();
      }

      WebApi web = WebApi.start(config.http(), fleet, store, meters, link::isConnected, clock,
          () -> notify.map(Dispatcher::deadLetters).orElse(List.of()), book);
      parts.push(web);
      apiBase.set("http://" + config.http().bind() + ":" + web.port());
      LOG.info("Gateway started: {} units, web app and API on http://{}:{}, MQTT {}", fleet.units().size(),
          config.http().bind(), web.port(), url);
      if (store.users().isEmpty()) {
        LOG.warn("No one can log in to the web app yet: add the first admin with 'sangfroid-gateway user add"
            + " --config FILE --name NAME --role admin'");
      }
      return new GatewayApp(meters, parts, url, web.port(), tick);
    } catch (RuntimeException | Error e) {
      closeAll(parts);
      meters.close();
      throw e;
    }
  }

  private static void registerRefusals(MeterRegistry meters, EmbeddedBroker broker) {
    String description = "What the embedded broker refused: logins (unknown user, wrong password, anonymous),"
        + " publishes outside an agent's own topics, subscriptions to another agent's ack";
    FunctionCounter.builder("sangfroid.broker.refused", broker, EmbeddedBroker::refusedLogins)
        .tag("what", "login").description(description).register(meters);
    FunctionCounter.builder("sangfroid.broker.refused", broker, EmbeddedBroker::refusedPublishes)
        .tag("what", "publish").description(description).register(meters);
    FunctionCounter.builder("sangfroid.broker.refused", broker, EmbeddedBroker::refusedSubscriptions)
        .tag("what", "subscribe").description(description).register(meters);
  }

  /**
   * The configured database: PostgreSQL when the configuration has a {@code database} section,
   * otherwise the SQLite file {@code dataDir/gateway.db}.
   *
   * @throws UncheckedIOException if {@code database.passwordFile} cannot be read
   */
  public static Database database(GatewayConfig config) {
    return config.database()
        .map(pg -> new Database(pg.url(), pg.username(),
            pg.passwordFile().map(f -> new String(readSecret(f, "database.passwordFile")))))
        .orElseGet(() -> Database.sqlite(config.dataDir().resolve(DATABASE)));
  }

  /** The first line of the secret file {@code file}, configured at {@code key}. */
  private static char[] readSecret(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return (lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException(key + " [" + file + "] cannot be read", e);
    }
  }

  /**
   * Runs one engine tick now, on the calling thread, at the gateway clock's time: for {@link
   * #startForSimulation}. On a gateway started with {@link #start} it is one extra tick, skipped
   * if the scheduled one is running.
   *
   * @return false when skipped because a tick was already running
   */
  public boolean runTick() {
    return tick.runOnce();
  }

  /** The port the HTTP API listens on. */
  public int httpPort() {
    return httpPort;
  }

  /** The MQTT broker's URL: the embedded broker's actual one, or the configured external one. */
  public String brokerUrl() {
    return brokerUrl;
  }

  /** The gateway's metrics (also served as Prometheus text on {@code /metrics}). */
  public MeterRegistry meters() {
    return meters;
  }

  /** Stops HTTP, the MQTT client, the tick, the broker, then closes the database. Bounded. */
  @Override
  public void close() {
    closeAll(parts);
    meters.close();
    LOG.info("Gateway stopped");
  }

  private static void closeAll(Deque<AutoCloseable> parts) {
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("{} did not close cleanly: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** Logs when the embedded broker has dropped messages since the last check: never silently. */
  private static final class DropWatch {
    private final Optional<EmbeddedBroker> broker;
    private final AtomicLong seen = new AtomicLong();

    DropWatch(Optional<EmbeddedBroker> broker) {
      this.broker = broker;
    }

    void check() {
      broker.ifPresent(b -> {
        long now = b.droppedMessages();
        long before = seen.getAndSet(now);
        if (now > before) {
          LOG.warn("The MQTT broker dropped {} messages (total {}); agents keep unacknowledged readings and send"
              + " them again, but check the broker's queue and the gateway's speed", now - before, now);
        }
      });
    }
  }
}
