package org.sangfroid.gateway.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alarm changes to every channel, each independently, on worker threads (as many as
 * channels, so one slow channel does not hold up the others): {@link #accept} only queues and
 * returns at once, so the ingest never waits for a mail server or a webhook.
 *
 * <p>A failed delivery is tried again after {@link Backoff#delay} (the clock decides when it has
 * been failing for {@code giveUpAfter}; the last retry is due at that moment). Then it becomes a
 * {@link DeadLetter}: logged at ERROR, counted in {@code sangfroid.notify.failed} (tag {@code
 * channel}) and kept in memory, the newest {@value #DEAD_LETTER_CAPACITY}. Deliveries are counted
 * in {@code sangfroid.notify.delivered}; {@code sangfroid.notify.pending} is the number waiting.
 * At most {@value #MAX_PENDING} deliveries wait; beyond, new ones become dead letters at once.
 *
 * <p>Nothing is written to disk: deliveries still waiting when the gateway stops are lost (logged
 * at WARN with their number). A delivery that throws anything is a failure of that delivery only.
 */
public final class Dispatcher implements AutoCloseable {
  public static final int DEAD_LETTER_CAPACITY = 1_000;
  public static final int MAX_PENDING = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final List<Channel> channels;
  private final Supplier<String> apiBase;
  private final Backoff backoff;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Duration stopWait;
  private final ScheduledThreadPoolExecutor worker;
  private final AtomicInteger pending = new AtomicInteger();
  private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
  private final Map<String, Counter> delivered = new HashMap<>();
  private final Map<String, Counter> failed = new HashMap<>();

  /** A delivery of one notification through one channel, and its attempts so far. */
  private record Delivery(Channel channel, Notification notification, long firstAttempt, int attempts) {}

  /**
   * @param apiBase the API's base URL for alarm links, without a trailing '/' (read for each change)
   * @param threads makes the worker threads (name them, e.g. {@code sangfroid-notify-1})
   * @param stopWait how long {@link #close()} waits for the attempt in progress and those due
   */
  public Dispatcher(List<Channel> channels, Supplier<String> apiBase, Backoff backoff, Clock clock,
      ThreadFactory threads, MeterRegistry meters, Duration stopWait) {
    this(channels, apiBase, backoff, clock, threads, meters, stopWait, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As above, with the source of jitter (uniform in [0, 1)). */
  public Dispatcher(List<Channel> channels, Supplier<String> apiBase, Backoff backoff, Clock clock,
      ThreadFactory threads, MeterRegistry meters, Duration stopWait, DoubleSupplier random) {
    this.channels = List.copyOf(channels);
    this.apiBase = apiBase;
    this.backoff = backoff;
    this.clock = clock;
    this.random = random;
    this.stopWait = stopWait;
    this.worker = new ScheduledThreadPoolExecutor(Math.max(1, this.channels.size()), threads);
    worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // retries not due yet are dropped on close
    worker.setRemoveOnCancelPolicy(true);
    for (String name : List.of(Channel.EMAIL, Channel.WEBHOOK)) {
      delivered.put(name, Counter.builder("sangfroid.notify.delivered").tag("channel", name)
          .description("Alarm notifications delivered").register(meters));
      failed.put(name, Counter.builder("sangfroid.notify.failed").tag("channel", name)
          .description("Alarm notifications given up on (dead letters)").register(meters));
    }
    Gauge.builder("sangfroid.notify.pending", pending, AtomicInteger::get)
        .description("Alarm notifications waiting for delivery or a retry").register(meters);
  }

  /** Queues every change for every channel; returns at once. Any thread. */
  public void accept(List<AlarmChange> changes) {
    long now = clock.millis();
    for (AlarmChange change : changes) {
      Notification n = Notification.of(change, apiBase.get());
      for (Channel c : channels) {
        Delivery d = new Delivery(c, n, now, 0);
        if (pending.incrementAndGet() > MAX_PENDING) {
          pending.decrementAndGet();
          deadLetter(d, "not tried: " + MAX_PENDING + " notifications already waiting");
          continue;
        }
        try {
          worker.execute(() -> attempt(d));
        } catch (RejectedExecutionException e) {
          pending.decrementAndGet();
          deadLetter(d, "not tried: the gateway is stopping");
        }
      }
    }
  }

  /** The dead letters kept, oldest first. */
  public List<DeadLetter> deadLetters() {
    synchronized (deadLetters) {
      return List.copyOf(deadLetters);
    }
  }

  /** Deliveries waiting for their first attempt or a retry. */
  public int pending() {
    return pending.get();
  }

  private void attempt(Delivery d) {
    try {
      Delivery tried = new Delivery(d.channel(), d.notification(), d.firstAttempt(), d.attempts() + 1);
      String error;
      try {
        d.channel().notifier().deliver(d.notification());
        pending.decrementAndGet();
        counter(delivered, d.channel()).increment();
        LOG.info("Alarm {} {} notified by {} ({})", d.notification().alarm().id(), d.notification().eventName(),
            d.channel().name(), d.channel().target());
        return;
      } catch (Throwable t) { // any failure of one delivery is that delivery's, never the loop's
        error = t.getMessage() == null ? t.toString() : t.getMessage();
      }
      long now = clock.millis();
      long left = d.firstAttempt() + backoff.giveUpAfter().toMillis() - now;
      if (left <= 0) {
        pending.decrementAndGet();
        deadLetter(tried, error);
        return;
      }
      long delay = Math.min(backoff.delay(tried.attempts(), random.getAsDouble()).toMillis(), left);
      LOG.warn("Alarm {} {} not notified by {} ({}), attempt {}: {}; next try in {} ms",
          d.notification().alarm().id(), d.notification().eventName(), d.channel().name(), d.channel().target(),
          tried.attempts(), error, delay);
      try {
        worker.schedule(() -> attempt(tried), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending.decrementAndGet();
        LOG.warn("Alarm {} {} not notified by {}: the gateway is stopping", d.notification().alarm().id(),
            d.notification().eventName(), d.channel().name());
      }
    } catch (Throwable t) { // top-level guard: the worker thread keeps serving the queue
      LOG.error("Notification loop failure (alarm {}); continuing", d.notification().alarm().id(), t);
    }
  }

  private void deadLetter(Delivery d, String error) {
    DeadLetter letter = new DeadLetter(d.channel().name(), d.channel().target(), d.notification().alarm().id(),
        d.notification().eventName(), Instant.ofEpochMilli(d.firstAttempt()), error, d.attempts());
    synchronized (deadLetters) {
      if (deadLetters.size() == DEAD_LETTER_CAPACITY) {
        deadLetters.removeFirst();
      }
      deadLetters.addLast(letter);
    }
    counter(failed, d.channel()).increment();
    LOG.error("Alarm {} {} NOT NOTIFIED by {} ({}) after {} attempts since {}: {}. Tell people another way.",
        letter.alarmId(), letter.event(), letter.channel(), letter.target(), letter.attempts(), letter.firstAttempt(),
        error);
  }

  private static Counter counter(Map<String, Counter> counters, Channel c) {
    Counter counter = counters.get(c.name());
    if (counter == null) {
      throw new IllegalStateException("channel [" + c.name() + "] must be email or webhook");
    }
    return counter;
  }

  /**
   * Stops: attempts already due still run (a final flush), retries not due yet are dropped; waits
   * at most {@code stopWait}, then interrupts. Logs how many deliveries were abandoned.
   */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    int left = pending.get();
    if (left > 0) {
      LOG.warn("{} alarm notifications were not delivered before the gateway stopped; they are lost", left);
    }
  }
}
