package org.sangfroid.agent.clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's time: the wall clock, made safe for evidence by a monotonic clock beside it.
 *
 * <ul>
 *   <li>Until the wall clock is synchronised ({@link SyncCheck}, asked at most every
 *       {@link #CHECK_EVERY}, and never before the build date), stamps are unsynchronised and
 *       carry their monotonic time.
 *   <li>At the first stamp that finds it synchronised, the agent's time jumps to the wall clock
 *       and the {@link #onSynchronised} listener hears when, so readings of the same boot taken
 *       before can be corrected.
 *   <li>The agent's time never goes back. When the wall clock is behind it (set back by hand, a
 *       bad time server), the agent's time runs {@value #CATCH_UP_PERCENT} % slower than the
 *       monotonic clock until the wall clock catches up: readings keep their order, and no
 *       duration is off by more than {@value #CATCH_UP_PERCENT} %. A step forward is followed at
 *       once. Both are logged.
 * </ul>
 *
 * <p>Thread-safe. {@link #stamp()} is for the sampler (it asks the {@link SyncCheck}); {@link
 * #clock()} is a read-only view for everything else that needs the agent's time.
 */
public final class TimeBase {
  private static final Logger log = LoggerFactory.getLogger(TimeBase.class);
  /** While the wall clock is behind, the agent's time runs this many percent slow. */
  public static final int CATCH_UP_PERCENT = 1;
  /** Until synchronised, the {@link SyncCheck} is asked at most this often (it may start a process). */
  static final Duration CHECK_EVERY = Duration.ofSeconds(10);
  /** A wall clock further than this from the agent's time has stepped (logged). */
  static final Duration STEP = Duration.ofSeconds(1);
  /** Where Linux says which boot this is. */
  public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private final Clock wall;
  private final Ticker ticker;
  private final SyncCheck check;
  private final long notBefore;
  private final long boot;
  private final boolean logSteps;
  private final Clock view = new View();
  private volatile Consumer<Synchronisation> onSynchronised = s -> { };

  // Guarded by this.
  private boolean synced;
  private boolean started;
  private long last;
  private long lastNanos;
  private boolean behind;
  private boolean checked;
  private long lastCheckNanos;

  /**
   * @param wall the system clock ({@code Clock.systemUTC()} in production)
   * @param ticker the monotonic clock ({@link Ticker#SYSTEM})
   * @param check whether the operating system has synchronised {@code wall}
   * @param notBefore a wall clock before this is never synchronised (the build date)
   * @param boot which boot {@code ticker} counts from (see {@link #bootKey(Path)})
   */
  public TimeBase(Clock wall, Ticker ticker, SyncCheck check, Instant notBefore, long boot) {
    this(wall, ticker, check, notBefore, boot, true);
  }

  private TimeBase(Clock wall, Ticker ticker, SyncCheck check, Instant notBefore, long boot, boolean logSteps) {
    this.wall = Checks.requireNonNull("wall", wall);
    this.ticker = Checks.requireNonNull("ticker", ticker);
    this.check = Checks.requireNonNull("check", check);
    this.notBefore = Checks.requireNonNull("notBefore", notBefore).toEpochMilli();
    this.boot = boot;
    this.logSteps = logSteps;
  }

  /** The production time base: the system clock, checked by {@code check}, never before the build date. */
  public static TimeBase system(SyncCheck check) {
    return new TimeBase(Clock.systemUTC(), Ticker.SYSTEM, check, BuildDate.of(TimeBase.class), bootKey(BOOT_ID));
  }

  /**
   * A time base that takes {@code wall} as synchronised from the start: a simulation's clock or a
   * test's, which may run faster than real time. Stamps are its time, never going back; its steps
   * are not logged.
   */
  public static TimeBase trusting(Clock wall) {
    return new TimeBase(wall, Ticker.SYSTEM, SyncCheck.always(), Instant.EPOCH, randomKey(), false);
  }

  /**
   * Sets who hears the synchronisation (once per time base, on the thread that stamps, before
   * {@link #stamp()} returns). An exception it throws is logged.
   */
  public void onSynchronised(Consumer<Synchronisation> listener) {
    this.onSynchronised = Checks.requireNonNull("listener", listener);
  }

  /** The time for a reading taken now. */
  public Stamp stamp() {
    Synchronisation sync = null;
    Stamp stamp;
    synchronized (this) {
      long nanos = ticker.nanos();
      long w = wall.millis();
      if (!synced && w >= notBefore && checkDue(nanos) && check.synchronised()) {
        long shift = started ? w - (last + (nanos - lastNanos) / 1_000_000) : 0;
        synced = true;
        behind = false;
        sync = new Synchronisation(new BootTime(boot, millis(nanos)), w, shift);
        advance(w, nanos);
        stamp = Stamp.synced(w);
      } else {
        long t = agentTime(nanos, w);
        noteSteps(nanos, w, t);
        advance(t, nanos);
        stamp = synced ? Stamp.synced(t) : new Stamp(t, false, Optional.of(new BootTime(boot, millis(nanos))));
      }
    }
    if (sync != null) {
      if (sync.shift() != 0) {
        log.info("The system clock is synchronised; it moved the agent's time by {} s. Readings of this boot taken"
            + " before are corrected from the monotonic clock.", String.format(Locale.ROOT, "%+.3f",
            sync.shift() / 1000.0));
      } else {
        log.info("The system clock is synchronised");
      }
      try {
        onSynchronised.accept(sync);
      } catch (RuntimeException e) {
        log.error("Acting on the clock synchronisation failed; earlier readings keep their unsynchronised times", e);
      }
    }
    return stamp;
  }

  /** Whether a stamp has found the wall clock synchronised. */
  public synchronized boolean synced() {
    return synced;
  }

  /** The agent's time as a clock (UTC): what {@link #stamp()} would give now, without asking the check. */
  public Clock clock() {
    return view;
  }

  private boolean checkDue(long nanos) {
    if (checked && nanos - lastCheckNanos < CHECK_EVERY.toNanos()) {
      return false;
    }
    checked = true;
    lastCheckNanos = nanos;
    return true;
  }

  private long agentTime(long nanos, long w) {
    if (!started) {
      return w;
    }
    long elapsed = Math.max(0, (nanos - lastNanos) / 1_000_000);
    long slowest = last + elapsed - elapsed * CATCH_UP_PERCENT / 100;
    return Math.max(w, slowest);
  }

  private void noteSteps(long nanos, long w, long t) {
    if (!started || !logSteps) {
      return;
    }
    long expected = last + (nanos - lastNanos) / 1_000_000;
    if (w < t - STEP.toMillis()) {
      if (!behind) {
        behind = true;
        log.warn("The system clock is {} s behind the agent's time (was it set back?). Readings keep their order:"
            + " the agent's time runs {} % slow until the clock catches up.", (t - w) / 1000, CATCH_UP_PERCENT);
      }
    } else if (behind && w >= t) {
      behind = false;
      log.info("The agent's time has caught up with the system clock");
    } else if (w > expected + STEP.toMillis()) {
      log.warn("The system clock jumped forward by {} s; readings follow it", (w - expected) / 1000);
    }
  }

  private void advance(long t, long nanos) {
    last = t;
    lastNanos = nanos;
    started = true;
  }

  private static long millis(long nanos) {
    return Math.floorDiv(nanos, 1_000_000);
  }

  /**
   * A number for this boot, from Linux's boot id: monotonic times of the same boot can be
   * compared across agent processes. Elsewhere (a development machine) a number for this
   * process only.
   */
  public static long bootKey(Path bootIdFile) {
    try {
      UUID id = UUID.fromString(Files.readString(bootIdFile, StandardCharsets.US_ASCII).strip());
      return id.getMostSignificantBits() ^ id.getLeastSignificantBits();
    } catch (IOException | IllegalArgumentException e) {
      log.debug("No boot id at {} ({}): readings taken before the clock is synchronised are corrected only"
          + " by this process", bootIdFile, e.toString());
      return randomKey();
    }
  }

  private static long randomKey() {
    return ThreadLocalRandom.current().nextLong();
  }

  /** The agent's time, read-only. */
  private final class View extends Clock {
    @Override
    public long millis() {
      synchronized (TimeBase.this) {
        return agentTime(ticker.nanos(), wall.millis());
      }
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
