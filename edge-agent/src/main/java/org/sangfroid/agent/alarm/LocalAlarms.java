package org.sangfroid.agent.alarm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-site alarm: runs core's {@link ExcursionEngine} on the agent's own units, with the
 * profiles of its configuration, and drives the {@link AlarmOutput}s. It needs neither the broker
 * nor the gateway: readings come straight from the sampler ({@link #onSampled}, measurement time)
 * and a periodic {@link #check} raises monitoring-lost and ends the mute (clock time).
 *
 * <p>The engine's state is kept in memory only: after a restart every unit starts afresh (a
 * pending delay starts again, a latched exposure alarm is forgotten). The gateway, which stores
 * its state, remains the record; this is the local buzzer.
 *
 * <p>Mute: a press while an alarm sounds silences the buzzer for the configured time (the LED stays
 * lit); a press with nothing sounding, or during a mute, is ignored (so contact bounce is harmless).
 * A new alarm (a unit or kind not in alarm at the press) ends the mute at once. Mute and its end
 * are logged as events.
 *
 * <p>Thread-safe: the sampler, the check schedule and the button call in on their own threads.
 */
public final class LocalAlarms implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalAlarms.class);
  /** How often {@link #start} runs {@link #check}: the mute ends at most this late. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final Map<String, Profile> profiles;
  private final Clock clock;
  private final Duration mute;
  private final List<AlarmOutput> outputs;
  private final Map<String, UnitState> states = new LinkedHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private long mutedUntil = UnitState.NEVER;
  private Set<String> mutedConditions = Set.of();
  private AlarmPanel shown;
  private ScheduledFuture<?> schedule;
  private boolean closed;

  /**
   * Starts watching every unit of {@code profiles} at the clock's current time and shows the
   * (quiet) panel on every output.
   *
   * @param profiles each unit's profile, by unit id
   * @param mute how long a press of the mute button silences the buzzer
   * @param outputs where the alarm is shown; closed by {@link #close()}
   */
  public LocalAlarms(Map<String, Profile> profiles, Clock clock, Duration mute, List<AlarmOutput> outputs) {
    this.profiles = Map.copyOf(profiles);
    this.clock = Checks.requireNonNull("clock", clock);
    this.mute = Checks.requireNonNull("mute", mute);
    Checks.require(!mute.isNegative() && !mute.isZero(), "mute", mute, "be positive");
    this.outputs = List.copyOf(outputs);
    long now = clock.millis();
    for (String unit : new TreeSet<>(this.profiles.keySet())) {
      states.put(unit, UnitState.start(now));
    }
    lock.lock();
    try {
      refresh();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@link #check} every {@link #CHECK_EVERY} on {@code executor}, which stays the caller's. */
  public void start(ScheduledExecutorService executor) {
    lock.lock();
    try {
      if (closed || schedule != null) {
        throw new IllegalStateException("LocalAlarms already started or closed");
      }
      schedule = executor.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Evaluates one sampling tick (every probe's reading, in order; a fault is an invalid sample).
   * Never throws: a failure is logged.
   */
  public void onSampled(List<Measurement> tick) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      for (Measurement m : tick) {
        Profile p = profiles.get(m.unit());
        if (p == null) {
          continue;
        }
        Sample sample = new Sample(m.time(), m.celsius(), m.quality() == Quality.OK);
        states.put(m.unit(), ExcursionEngine.onSample(p, states.get(m.unit()), sample, m.time()).state());
      }
      refresh();
    } catch (Throwable t) {
      log.error("Local alarm evaluation failed for this tick", t);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Checks every unit for lost monitoring and ends an expired mute, at the clock's time. Skipped
   * when another call holds the alarms; never throws.
   *
   * @return true when it ran
   */
  public boolean check() {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      if (closed) {
        return false;
      }
      long now = clock.millis();
      for (Map.Entry<String, UnitState> e : states.entrySet()) {
        e.setValue(ExcursionEngine.onTick(profiles.get(e.getKey()), e.getValue(), now).state());
      }
      if (mutedUntil != UnitState.NEVER && now >= mutedUntil) {
        endMute("the mute time is over");
      }
      refresh();
      return true;
    } catch (Throwable t) {
      log.error("Local alarm check failed; trying again in {}", CHECK_EVERY, t);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The mute button was pressed: silences the buzzer for the mute time if an alarm sounds.
   *
   * @return true when this press started a mute
   */
  public boolean mutePressed() {
    lock.lock();
    try {
      if (closed || shown == null || !shown.sounding()) {
        log.info("Mute button pressed; nothing is sounding, ignored");
        return false;
      }
      long now = clock.millis();
      mutedUntil = now + mute.toMillis();
      mutedConditions = conditions();
      log.warn("EVENT mute: local alarm buzzer muted for {} by the button; still in alarm: {}", mute,
          shown.unitsInAlarm());
      refresh();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The agent's time jumped by {@code shift} ms when the clock was first synchronised: every unit
   * starts afresh at the new time, as after a restart. Pending delays and exposure counters ran on
   * the old time and cannot be carried across: a jump back would make the engine ignore every
   * reading until the old time came round again, and a jump forward would count the jump itself
   * as time beyond a limit or without readings. A running mute keeps its length. Never throws.
   */
  public void clockSet(long shift) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      long now = clock.millis();
      states.replaceAll((unit, state) -> UnitState.start(now));
      if (mutedUntil != UnitState.NEVER) {
        mutedUntil += shift;
      }
      log.warn("The clock was set by {} s: local alarms start afresh on every unit (the gateway keeps the record)",
          shift / 1000);
      refresh();
    } catch (Throwable t) {
      log.error("Local alarms could not follow the clock being set", t);
    } finally {
      lock.unlock();
    }
  }

  /** What the outputs show now. */
  public AlarmPanel panel() {
    lock.lock();
    try {
      return shown;
    } finally {
      lock.unlock();
    }
  }

  private void endMute(String why) {
    mutedUntil = UnitState.NEVER;
    mutedConditions = Set.of();
    log.warn("EVENT unmute: local alarm buzzer re-armed: {}", why);
  }

  /** Every alarm-severity condition on, as unit/kind. */
  private Set<String> conditions() {
    Set<String> out = new HashSet<>();
    states.forEach((unit, s) -> active(s).stream().filter(k -> k.severity() == AlarmKind.Severity.ALARM)
        .forEach(k -> out.add(unit + "/" + k)));
    return out;
  }

  private static Set<AlarmKind> active(UnitState s) {
    Set<AlarmKind> kinds = EnumSet.noneOf(AlarmKind.class);
    s.rules().forEach((kind, rule) -> {
      if (rule.phase() == RuleState.Phase.ALARM) {
        kinds.add(kind);
      }
    });
    if (s.monitoringLost()) {
      kinds.add(AlarmKind.MONITORING_LOST);
    }
    return kinds;
  }

  /** Recomputes the panel and shows it if it changed. Holds the lock. */
  private void refresh() {
    if (mutedUntil != UnitState.NEVER && !mutedConditions.containsAll(conditions())) {
      endMute("a new alarm came on");
    }
    Map<String, Set<AlarmKind>> active = new LinkedHashMap<>();
    states.forEach((unit, s) -> active.put(unit, active(s)));
    AlarmPanel panel = new AlarmPanel(active, mutedUntil != UnitState.NEVER);
    if (!panel.alarm() && panel.muted()) {
      endMute("no alarm is on any more");
      panel = new AlarmPanel(active, false);
    }
    if (panel.equals(shown)) {
      return;
    }
    shown = panel;
    for (AlarmOutput o : outputs) {
      try {
        o.show(panel);
      } catch (RuntimeException e) {
        log.error("Alarm output {} failed", o, e);
      }
    }
  }

  /** Stops the checks and turns every output off. Idempotent. */
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
      for (AlarmOutput o : outputs) {
        try {
          o.close();
        } catch (RuntimeException e) {
          log.warn("Alarm output {} did not close cleanly: {}", o, e.toString());
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
