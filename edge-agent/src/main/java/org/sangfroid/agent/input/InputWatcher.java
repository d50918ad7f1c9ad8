package org.sangfroid.agent.input;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the units' input pins and turns each stable change into an {@link InputEvent}.
 *
 * <p>Polled, not interrupt-driven: Pi4J's sysfs provider watches the pin's file with a
 * {@code WatchService}, which sees no level change on sysfs GPIO, and a missed edge here would be a
 * door never reported. Each {@link #poll()} reads every pin; a level counts once it has held for
 * the input's debounce and is dated when it began (see {@link Debounce}). The first level read
 * after start is reported too ({@link InputEvent#first()}), active or not: a door already open
 * at start is an event, and a door closed while the agent was down ends what it last reported.
 * The events of one poll are reported in the order they happened.
 *
 * <p>A pin that cannot be read keeps its last level; the failure is logged at WARN when it starts
 * (and once a minute while it lasts) and when it ends. Thread-safe; {@link #poll()} skips when
 * another call is running.
 */
public final class InputWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InputWatcher.class);
  /** How often {@link #start} polls the pins. A change is reported at most this long after its debounce. */
  public static final Duration POLL_EVERY = Duration.ofMillis(20);
  /** While a pin stays unreadable its failure is logged again this often. */
  static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);

  /** One input of one unit. */
  private static final class Watched {
    final String unit;
    final AgentConfig.InputPin pin;
    final Debounce debounce;
    long failingSince = Long.MIN_VALUE;
    long failureLogged;

    Watched(String unit, AgentConfig.InputPin pin) {
      this.unit = unit;
      this.pin = pin;
      this.debounce = new Debounce(pin.debounce().toMillis());
    }
  }

  private final List<Watched> inputs = new ArrayList<>();
  private final PinReader reader;
  private final Clock clock;
  private final Consumer<InputEvent> onEvent;
  private final ReentrantLock lock = new ReentrantLock();
  private ScheduledFuture<?> schedule;
  private boolean closed;

  /**
   * @param units the units whose inputs are watched (units without inputs are ignored)
   * @param reader reads the pins; closed by {@link #close()}
   * @param onEvent called on the polling thread with each first level and each stable change, in
   *     order; may block briefly (an fsync); an exception is logged and the next event still comes
   */
  public InputWatcher(List<AgentConfig.Unit> units, PinReader reader, Clock clock, Consumer<InputEvent> onEvent) {
    for (AgentConfig.Unit u : units) {
      for (AgentConfig.InputPin pin : u.inputs()) {
        inputs.add(new Watched(u.id(), pin));
      }
    }
    this.reader = Checks.requireNonNull("reader", reader);
    this.clock = Checks.requireNonNull("clock", clock);
    this.onEvent = Checks.requireNonNull("onEvent", onEvent);
  }

  /** Reads every pin at once (the first levels), then every {@link #POLL_EVERY} on {@code executor}. */
  public void start(ScheduledExecutorService executor) {
    lock.lock();
    try {
      if (closed || schedule != null) {
        throw new IllegalStateException("InputWatcher already started or closed");
      }
      schedule = executor.scheduleWithFixedDelay(this::poll, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every pin once, at the clock's time, and reports first levels and stable changes.
   * Skipped when another call is running; never throws.
   *
   * @return true when it ran
   */
  public boolean poll() {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      if (closed) {
        return false;
      }
      List<InputEvent> found = new ArrayList<>(1);
      for (Watched w : inputs) {
        pollOne(w, found);
      }
      // In the order they happened: two inputs confirmed by one poll may have changed apart.
      found.sort(Comparator.comparingLong(InputEvent::time));
      found.forEach(this::emit);
      return true;
    } catch (Throwable t) {
      // Guard the schedule: an exception would cancel every later poll.
      log.error("Polling the input pins failed; trying again in {} ms", POLL_EVERY.toMillis(), t);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void pollOne(Watched w, List<InputEvent> found) {
    long now = clock.millis();
    boolean high;
    try {
      high = reader.high(w.pin.pin());
    } catch (RuntimeException e) {
      failed(w, now, e);
      return;
    }
    if (w.failingSince != Long.MIN_VALUE) {
      log.warn("Input {} of unit {} (GPIO{}) reads again", w.pin.key(), w.unit, w.pin.pin());
      w.failingSince = Long.MIN_VALUE;
    }
    if (!w.debounce.known()) {
      w.debounce.first(high);
      found.add(new InputEvent(w.unit, w.pin, w.pin.activeAt(high), now, true));
      return;
    }
    OptionalLong since = w.debounce.read(high, now);
    if (since.isPresent()) {
      found.add(new InputEvent(w.unit, w.pin, w.pin.activeAt(high), since.getAsLong(), false));
    }
  }

  private void failed(Watched w, long now, RuntimeException e) {
    if (w.failingSince == Long.MIN_VALUE) {
      w.failingSince = now;
      w.failureLogged = now;
      log.warn("Input {} of unit {} (GPIO{}) cannot be read ({}); its last state stands until it reads again",
          w.pin.key(), w.unit, w.pin.pin(), e.toString());
    } else if (now - w.failureLogged >= FAILURE_LOG_EVERY.toMillis() || now < w.failureLogged) {
      w.failureLogged = now;
      log.warn("Input {} of unit {} (GPIO{}) still cannot be read ({})", w.pin.key(), w.unit, w.pin.pin(),
          e.toString());
    }
  }

  private void emit(InputEvent event) {
    try {
      onEvent.accept(event);
    } catch (RuntimeException e) {
      log.error("Handling {} failed", event, e);
    }
  }

  /** Stops polling and releases the pins. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
      reader.close();
    } finally {
      lock.unlock();
    }
  }
}
