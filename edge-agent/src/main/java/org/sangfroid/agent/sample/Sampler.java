package org.sangfroid.agent.sample;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sangfroid.agent.clock.Stamp;
import org.sangfroid.agent.clock.TimeBase;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every probe once per tick and stores the whole tick in the outbox in one transaction.
 * Every reading of a tick carries the same timestamp, taken from the agent's {@link TimeBase}
 * when the tick starts (flagged while the clock is not synchronised). A probe with a calibration
 * gives its corrected value, with the raw one beside it. A probe fault is stored as a reading with
 * its quality: missing data is evidence too.
 *
 * <p>The schedule runs on the executor given to {@link #start}; a tick that throws is logged
 * and the schedule goes on; a tick that finds the previous one still running is skipped.
 */
public final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);
  /** How long {@link #close()} waits for a tick that is still reading its probes. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final List<Probe> probes;
  private final Outbox outbox;
  private final TimeBase time;
  private final Runnable afterTick;
  private final Consumer<List<Measurement>> onSampled;
  private final Semaphore busy = new Semaphore(1);
  private final Counter sampled;
  private final Counter skipped;
  private final Counter failed;
  private volatile boolean closed;
  private ScheduledFuture<?> schedule;

  /**
   * @param probes the probes to read, in the order they are read and stored
   * @param afterTick called on the sampling thread after each stored tick (to wake the
   *     publisher); must not block
   */
  public Sampler(List<Probe> probes, Outbox outbox, Clock clock, MeterRegistry meters, Runnable afterTick) {
    this(probes, outbox, clock, meters, tick -> { }, afterTick);
  }

  /**
   * @param onSampled called on the sampling thread with each tick's readings once read, before
   *     they are stored, so the local alarm hears them even when the outbox fails; must not
   *     block; an exception is logged and the tick is still stored
   * @param afterTick see {@link #Sampler(List, Outbox, Clock, MeterRegistry, Runnable)}
   */
  public Sampler(List<Probe> probes, Outbox outbox, Clock clock, MeterRegistry meters,
      Consumer<List<Measurement>> onSampled, Runnable afterTick) {
    this(probes, outbox, TimeBase.trusting(Checks.requireNonNull("clock", clock)), meters, onSampled, afterTick);
  }

  /**
   * @param time stamps each tick; its synchronisation listener runs on the sampling thread,
   *     before the tick that found the clock synchronised is stored
   * @param onSampled see {@link #Sampler(List, Outbox, Clock, MeterRegistry, Consumer, Runnable)}
   * @param afterTick see {@link #Sampler(List, Outbox, Clock, MeterRegistry, Runnable)}
   */
  public Sampler(List<Probe> probes, Outbox outbox, TimeBase time, MeterRegistry meters,
      Consumer<List<Measurement>> onSampled, Runnable afterTick) {
    this.onSampled = Checks.requireNonNull("onSampled", onSampled);
    this.probes = List.copyOf(probes);
    this.outbox = Checks.requireNonNull("outbox", outbox);
    this.time = Checks.requireNonNull("time", time);
    this.afterTick = Checks.requireNonNull("afterTick", afterTick);
    this.sampled = meters.counter("sangfroid.agent.readings.sampled");
    this.skipped = meters.counter("sangfroid.agent.sampler.ticks", "result", "skipped");
    this.failed = meters.counter("sangfroid.agent.sampler.ticks", "result", "failed");
  }

  /** Starts sampling at once, then every {@code tick}, on {@code executor}. */
  public synchronized void start(ScheduledExecutorService executor, Duration tick) {
    Checks.require(!tick.isZero() && !tick.isNegative(), "tick", tick, "be positive");
    if (closed || schedule != null) {
      throw new IllegalStateException("Sampler already started or closed");
    }
    schedule = executor.scheduleAtFixedRate(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Samples once, unless a tick is already running or the sampler is closed. Never throws: a
   * failure is logged and counted.
   *
   * @return true when a tick ran and was stored
   */
  public boolean tick() {
    if (closed) {
      return false;
    }
    if (!busy.tryAcquire()) {
      // A slow probe made the last tick overrun: skip rather than pile ticks up.
      skipped.increment();
      log.warn("Sampling tick skipped: the previous tick is still reading probes");
      return false;
    }
    try {
      if (closed) {
        return false;
      }
      sampleOnce();
      return true;
    } catch (Throwable t) {
      // Guard the schedule: an exception would cancel every later tick.
      failed.increment();
      log.error("Sampling tick failed; trying again next tick", t);
      return false;
    } finally {
      busy.release();
    }
  }

  /** Reads all probes and stores them as one tick. */
  private void sampleOnce() {
    Stamp stamp = time.stamp();
    List<Measurement> tick = new ArrayList<>(probes.size());
    for (Probe p : probes) {
      Probe.Corrected r = p.correct(read(p));
      tick.add(Measurement.at(stamp, p.unit(), p.sensor().id(), r.reading().celsius(), r.reading().quality(),
          r.raw()));
    }
    try {
      onSampled.accept(List.copyOf(tick));
    } catch (RuntimeException e) {
      log.error("Local alarm failed to take tick; storing it anyway", e);
    }
    outbox.append(tick);
    sampled.increment(tick.size());
    afterTick.run();
  }

  private static SensorReading read(Probe p) {
    try {
      return p.sensor().read();
    } catch (RuntimeException e) {
      // A driver broke its contract; keep the rest of the tick and record the probe as silent.
      log.error("Probe {} of unit {} failed to read", p.sensor().id(), p.unit(), e);
      return SensorReading.fault(Quality.DISCONNECTED);
    }
  }

  /**
   * Stops the schedule and waits (at most {@link #CLOSE_WAIT}) for a tick still running, so
   * its readings are stored. Idempotent; the executor itself belongs to the caller.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
    }
    try {
      if (busy.tryAcquire(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        busy.release();
      } else {
        log.warn("Sampler closed while a tick was still reading probes after {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
