package org.sangfroid.gateway.alarm;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task every {@code every} on one thread, with the safeguards every loop of
 * ours has: a {@link Throwable} guard (a failing run is logged and the schedule goes on),
 * skip-if-busy (a run requested while one is in progress is skipped), and a bounded stop.
 */
public final class TickLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TickLoop.class);

  private final String name;
  private final Runnable task;
  private final Duration every;
  private final Duration stopWait;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger failures = new AtomicInteger();

  /**
   * @param name for logs
   * @param task the work of one run
   * @param every pause between the end of a run and the start of the next
   * @param stopWait how long {@link #close()} waits for a run in progress before interrupting it
   * @param threads makes the loop's one thread (give it a name)
   */
  public TickLoop(String name, Runnable task, Duration every, Duration stopWait, ThreadFactory threads) {
    this.name = name;
    this.task = task;
    this.every = every;
    this.stopWait = stopWait;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /** A factory of daemon threads called {@code name}. */
  public static ThreadFactory namedThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Schedules runs every {@code every}, the first one {@code every} from now. */
  public TickLoop start() {
    scheduler.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs the task on the calling thread unless a run is in progress; false when skipped. */
  public boolean runOnce() {
    if (!busy.compareAndSet(false, true)) {
      LOG.debug("{}: previous run still in progress, skipping this one", name);
      return false;
    }
    try {
      task.run();
    } catch (Throwable t) { // the schedule must survive anything a run throws
      failures.incrementAndGet();
      LOG.error("{} failed; it will run again in {}", name, every, t);
    } finally {
      busy.set(false);
    }
    return true;
  }

  /** How many runs have failed so far. */
  public int failures() {
    return failures.get();
  }

  /** Stops scheduling, waits up to {@code stopWait} for a run in progress, then interrupts it. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not finish within {}; interrupting it", name, stopWait);
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
