package org.sangfroid.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sangfroid.core.check.Checks;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.onewire.DeviceState;
import org.sangfroid.simulator.onewire.OneWireTree;
import org.sangfroid.simulator.onewire.RomId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running simulated site: a {@link SiteModel} kept in step with a {@link Clock} and shown as a
 * 1-Wire sysfs tree in {@link SimulatorConfig#onewireDir()}.
 *
 * <p>{@link #start} writes the tree at once, then once per {@link #TICK} of real time, on one
 * daemon thread named {@value #THREAD_NAME}, advances the model to {@code clock.millis()} and
 * rewrites the tree. The tick never lets an exception end the schedule (it logs it and carries
 * on) and is skipped if the previous one is still running. {@link #close()} stops the schedule,
 * waits at most {@link #CLOSE_WAIT} for a running tick, then ticks once more so the tree matches
 * the clock at close. Methods are thread-safe.
 */
public final class SimulatedSite implements AutoCloseable {
  /** Real time between two ticks. */
  public static final Duration TICK = Duration.ofSeconds(1);
  /** Longest {@link #close()} waits for a running tick. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  /** Name of the ticking thread. */
  public static final String THREAD_NAME = "sangfroid-simulator-tick";

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedSite.class);

  private final SiteModel model;
  private final OneWireTree tree;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closed;

  private SimulatedSite(SimulatorConfig config, Clock clock, ThreadFactory threads) {
    this.clock = clock;
    this.model = new SiteModel(config, clock.millis());
    this.tree = new OneWireTree(config.onewireDir());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /**
   * Starts a site: writes the tree now, then rewrites it every {@link #TICK} on a named daemon
   * thread. The model starts at {@code clock.millis()}, so failures count from now.
   *
   * @throws java.io.UncheckedIOException if the first write fails (later failures are logged)
   */
  public static SimulatedSite start(SimulatorConfig config, Clock clock) {
    return start(config, clock, SimulatedSite::daemon);
  }

  /** Same as {@link #start(SimulatorConfig, Clock)} with the ticking thread made by {@code threads}. */
  public static SimulatedSite start(SimulatorConfig config, Clock clock, ThreadFactory threads) {
    Checks.requireNonNull("config", config);
    Checks.requireNonNull("clock", clock);
    Checks.requireNonNull("threads", threads);
    SimulatedSite site = new SimulatedSite(config, clock, threads);
    site.writeTree();
    long period = TICK.toMillis();
    site.scheduler.scheduleAtFixedRate(site::tick, period, period, TimeUnit.MILLISECONDS);
    LOG.info("Simulating {} probe(s) in {}", config.probes().size(), config.onewireDir());
    return site;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, THREAD_NAME);
    t.setDaemon(true);
    return t;
  }

  /** One tick: advance to the clock and rewrite the tree; never throws, skips if busy. */
  void tick() {
    if (!lock.tryLock()) {
      LOG.debug("Previous tick still running; skipping this one");
      return;
    }
    try {
      model.advanceTo(clock.millis());
      tree.write(model.devices());
    } catch (Throwable t) { // keep the schedule alive whatever happens
      LOG.warn("Simulator tick failed; trying again next tick", t);
    } finally {
      lock.unlock();
    }
  }

  private void writeTree() {
    lock.lock();
    try {
      model.advanceTo(clock.millis());
      tree.write(model.devices());
    } finally {
      lock.unlock();
    }
  }

  /**
   * What probe {@code rom} read at the last tick, °C (1/16 °C resolution).
   *
   * @throws org.sangfroid.core.check.InvalidValueException if no probe has that id
   */
  public double temperature(String rom) {
    lock.lock();
    try {
      return model.temperature(rom);
    } finally {
      lock.unlock();
    }
  }

  /** What each probe shows in the tree since the last tick. */
  public Map<RomId, DeviceState> devices() {
    lock.lock();
    try {
      return model.devices();
    } finally {
      lock.unlock();
    }
  }

  /** The folder the tree is written to. */
  public OneWireTree tree() {
    return tree;
  }

  /**
   * Stops ticking, waits at most {@link #CLOSE_WAIT} for a running tick, then writes the tree a
   * last time. Calling it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Simulator tick did not stop within {}", CLOSE_WAIT);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    tick();
    LOG.info("Simulator stopped");
  }
}
