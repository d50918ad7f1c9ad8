package org.sangfroid.gateway.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.sangfroid.gateway.store.NotificationRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alarm messages through every channel, from a queue kept in the database.
 *
 * <p>{@link #queue} writes one row per channel in the caller's transaction, the one that records
 * the alarm change: a message exists exactly when its alarm change does, and a gateway that stops
 * before delivering it delivers it when it starts again. {@link #wake} (after the commit) and a
 * poll every second hand due rows to one worker thread per channel, so a slow channel does not
 * hold up the others and the ingest never waits for a mail server or a webhook.
 *
 * <p>A failed delivery is tried again after {@link Backoff#delay} until it has been failing for
 * {@code giveUpAfter}; then it becomes a dead letter: logged at ERROR, counted in {@code
 * sangfroid.notify.failed} (tag {@code channel}), kept in the database, and handed to the {@link
 * Failures} hook, which raises an alarm about it (a channel that fails is itself an alarm).
 * Delivered messages are counted in {@code sangfroid.notify.delivered}; {@code
 * sangfroid.notify.pending} is the number waiting.
 *
 * <p>Delivery is at least once: a gateway killed between a channel accepting a message and the
 * database recording it sends that message again after the restart.
 */
public final class Dispatcher implements AutoCloseable {
  public static final int DEAD_LETTER_CAPACITY = 1_000;
  /** How often due deliveries are looked for without a {@link #wake}. */
  public static final Duration POLL = Duration.ofSeconds(1);
  private static final int BATCH = 200;
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** What becomes of a dead letter: an alarm, recorded in the transaction that gives it up. */
  public interface Failures {
    /** Records the failure inside {@code tx}; returns the alarm changes to announce after the commit. */
    List<AlarmChange> record(Tx tx, NotificationRow letter, String error);

    /** Told of the changes once committed (counting, logging, MQTT). */
    void committed(List<AlarmChange> changes);

    /** Nothing: for tests and gateways without alarms of their own. */
    Failures NONE = new Failures() {
      @Override
      public List<AlarmChange> record(Tx tx, NotificationRow letter, String error) {
        return List.of();
      }

      @Override
      public void committed(List<AlarmChange> changes) {}
    };
  }

  private final List<Channel> channels;
  private final GatewayStore store;
  private final Supplier<String> apiBase;
  private final Backoff backoff;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Duration stopWait;
  private volatile Failures failures = Failures.NONE;
  private final ScheduledExecutorService poller;
  private final Map<Channel, ExecutorService> workers = new LinkedHashMap<>();
  /** Rows handed to a worker and not finished; guarded by {@code this} with the poll (see {@link #poll}). */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> delivered = new HashMap<>();
  private final Map<String, Counter> failed = new HashMap<>();

  /**
   * @param apiBase the API's base URL for alarm links, without a trailing '/' (read for each message)
   * @param threads makes the poller's and the workers' threads (name them, e.g. {@code sangfroid-notify})
   * @param stopWait how long {@link #close()} waits for the deliveries in progress
   */
  public Dispatcher(List<Channel> channels, GatewayStore store, Supplier<String> apiBase, Backoff backoff,
      Clock clock, ThreadFactory threads, MeterRegistry meters, Duration stopWait) {
    this(channels, store, apiBase, backoff, clock, threads, meters, stopWait,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As above, with the source of jitter (uniform in [0, 1)). */
  public Dispatcher(List<Channel> channels, GatewayStore store, Supplier<String> apiBase, Backoff backoff,
      Clock clock, ThreadFactory threads, MeterRegistry meters, Duration stopWait, DoubleSupplier random) {
    this.channels = List.copyOf(channels);
    this.store = store;
    this.apiBase = apiBase;
    this.backoff = backoff;
    this.clock = clock;
    this.random = random;
    this.stopWait = stopWait;
    this.poller = Executors.newSingleThreadScheduledExecutor(threads);
    for (Channel c : this.channels) {
      workers.put(c, Executors.newSingleThreadExecutor(threads));
    }
    for (String name : List.of(Channel.EMAIL, Channel.WEBHOOK)) {
      delivered.put(name, Counter.builder("sangfroid.notify.delivered").tag("channel", name)
          .description("Alarm notifications delivered").register(meters));
      failed.put(name, Counter.builder("sangfroid.notify.failed").tag("channel", name)
          .description("Alarm notifications given up on (dead letters)").register(meters));
    }
    Gauge.builder("sangfroid.notify.pending", store, s -> s.pendingNotifications())
        .description("Alarm notifications waiting for delivery or a retry").register(meters);
  }

  /** Sets what a dead letter becomes (once, before {@link #start}; it needs the alarm book). */
  public void onFailure(Failures failures) {
    this.failures = failures;
  }

  /** Starts polling; deliveries left from before a restart go out now. */
  public Dispatcher start() {
    poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The configured channels. */
  public List<Channel> channels() {
    return channels;
  }

  /** Queues {@code change} for every channel, inside the caller's transaction. */
  public void queue(Tx tx, AlarmChange change) {
    long now = clock.millis();
    for (Channel c : channels) {
      tx.queueNotification(change.alarm().id(), Notification.Event.valueOf(change.type().name()).wire(),
          change.type() == AlarmChange.Type.ESCALATED ? 1 : 0, c.name(), c.target(), now);
    }
  }

  /**
   * Queues escalation step {@code level} of {@code alarm}: an e-mail to {@code onCall} (when e-mail is
   * configured and someone is named) and a message to every webhook.
   */
  public void queueEscalation(Tx tx, AlarmRow alarm, int level, List<String> onCall) {
    long now = clock.millis();
    for (Channel c : channels) {
      if (c.name().equals(Channel.EMAIL)) {
        if (!onCall.isEmpty()) {
          tx.queueNotification(alarm.id(), Notification.Event.ESCALATED.wire(), level, c.name(),
              String.join(", ", onCall), now);
        }
      } else {
        tx.queueNotification(alarm.id(), Notification.Event.ESCALATED.wire(), level, c.name(), c.target(), now);
      }
    }
  }

  /** Looks for due deliveries now (call after committing a transaction that queued some). */
  public void wake() {
    try {
      poller.execute(this::poll);
    } catch (RejectedExecutionException e) {
      LOG.debug("Dispatcher stopping; queued notifications go out at the next start");
    }
  }

  /** The newest dead letters kept in the database, oldest first. */
  public List<DeadLetter> deadLetters() {
    return store.deadLetters(DEAD_LETTER_CAPACITY).stream()
        .map(r -> new DeadLetter(r.channel(), r.target(), r.alarmId(), r.event(), Instant.ofEpochMilli(r.createdAt()),
            r.lastError().orElse(""), r.attempts()))
        .toList();
  }

  /** Deliveries waiting for their first attempt or a retry. */
  public long pending() {
    return store.pendingNotifications();
  }

  /**
   * Hands due rows to their channel's worker. Synchronised with the workers' bookkeeping: a worker
   * records its result in the database before it leaves {@link #inFlight}, so a row read here is
   * either still in flight (skipped) or read after its result was committed.
   */
  private synchronized void poll() {
    try {
      for (NotificationRow row : store.dueNotifications(clock.millis(), BATCH)) {
        if (inFlight.contains(row.id())) {
          continue;
        }
        Optional<Channel> channel = channelOf(row);
        if (channel.isEmpty()) {
          dead(row, row.attempts(), "the channel is no longer configured (" + row.channel() + " " + row.target() + ")");
          continue;
        }
        inFlight.add(row.id());
        try {
          workers.get(channel.get()).execute(() -> attempt(row, channel.get()));
        } catch (RejectedExecutionException e) {
          inFlight.remove(row.id());
          return; // stopping: the row stays queued for the next start
        }
      }
    } catch (Throwable t) { // the poll must survive a database hiccup; rows stay queued
      LOG.error("Looking for alarm notifications to deliver failed; trying again in {}", POLL, t);
    }
  }

  private Optional<Channel> channelOf(NotificationRow row) {
    for (Channel c : channels) {
      if (c.name().equals(row.channel()) && (c.name().equals(Channel.EMAIL) || c.target().equals(row.target()))) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private void attempt(NotificationRow row, Channel channel) {
    try {
      int attempts = row.attempts() + 1;
      String error;
      try {
        channel.notifier().deliver(notification(row));
        store.write(tx -> {
          tx.notificationDelivered(row.id(), attempts, clock.millis());
          return null;
        });
        counter(delivered, channel).increment();
        LOG.info("Alarm {} {} notified by {} ({})", row.alarmId(), row.event(), channel.name(), row.target());
        return;
      } catch (Throwable t) { // any failure of one delivery is that delivery's, never the loop's
        error = t.getMessage() == null ? t.toString() : t.getMessage();
      }
      long now = clock.millis();
      long left = row.createdAt() + backoff.giveUpAfter().toMillis() - now;
      if (left <= 0) {
        dead(row, attempts, error);
        return;
      }
      long delay = Math.min(backoff.delay(attempts, random.getAsDouble()).toMillis(), left);
      String why = error;
      store.write(tx -> {
        tx.notificationRetry(row.id(), attempts, now + delay, why);
        return null;
      });
      LOG.warn("Alarm {} {} not notified by {} ({}), attempt {}: {}; next try in {} ms", row.alarmId(), row.event(),
          channel.name(), row.target(), attempts, error, delay);
      try {
        poller.schedule(this::poll, delay, TimeUnit.MILLISECONDS); // sooner than the next regular poll
      } catch (RejectedExecutionException e) {
        LOG.debug("Dispatcher stopping; the retry waits for the next start");
      }
    } catch (Throwable t) { // top-level guard: the row stays queued and is tried again
      LOG.error("Notification of alarm {} failed unexpectedly; it stays queued", row.alarmId(), t);
    } finally {
      synchronized (this) {
        inFlight.remove(row.id());
      }
    }
  }

  private Notification notification(NotificationRow row) {
    AlarmRow alarm = store.alarm(row.alarmId()).orElseThrow(() -> new IllegalStateException(
        "alarm " + row.alarmId() + " is not in the database"));
    Notification.Event event = Notification.Event.fromWire(row.event());
    List<String> onCall = event == Notification.Event.ESCALATED && row.channel().equals(Channel.EMAIL)
        ? Arrays.stream(row.target().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
        : List.of();
    return Notification.of(event, alarm, apiBase.get(), row.level(), onCall);
  }

  private void dead(NotificationRow row, int attempts, String error) {
    List<AlarmChange> raised = store.write(tx -> {
      tx.notificationDead(row.id(), attempts, clock.millis(), error);
      return failures.record(tx, row, error);
    });
    counter(failed, row.channel()).increment();
    LOG.error("Alarm {} {} NOT NOTIFIED by {} ({}) after {} attempts since {}: {}. Tell people another way.",
        row.alarmId(), row.event(), row.channel(), row.target(), attempts, Instant.ofEpochMilli(row.createdAt()),
        error);
    failures.committed(raised);
    if (!raised.isEmpty()) {
      wake();
    }
  }

  private static Counter counter(Map<String, Counter> counters, Channel c) {
    return counter(counters, c.name());
  }

  private static Counter counter(Map<String, Counter> counters, String channel) {
    Counter counter = counters.get(channel);
    if (counter == null) {
      throw new IllegalStateException("channel [" + channel + "] must be email or webhook");
    }
    return counter;
  }

  /**
   * Stops polling, lets the deliveries in progress finish (at most {@code stopWait}, then
   * interrupts them). What is still queued stays in the database for the next start.
   */
  @Override
  public void close() {
    poller.shutdown();
    workers.values().forEach(ExecutorService::shutdown);
    try {
      long deadline = System.nanoTime() + stopWait.toNanos();
      List<ExecutorService> all = new ArrayList<>(workers.values());
      all.add(poller);
      for (ExecutorService e : all) {
        if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          e.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      workers.values().forEach(ExecutorService::shutdownNow);
      poller.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      long left = store.pendingNotifications();
      if (left > 0) {
        LOG.info("{} alarm notifications are still queued; they will be delivered when the gateway starts again",
            left);
      }
    } catch (RuntimeException e) {
      LOG.debug("Could not count queued notifications at stop: {}", e.toString());
    }
  }
}
