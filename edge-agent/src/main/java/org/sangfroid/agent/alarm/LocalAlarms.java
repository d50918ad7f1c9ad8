package org.sangfroid.agent.alarm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
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
import java.util.function.Consumer;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Occurrence;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-site alarm: runs core's {@link ExcursionEngine} on the agent's own units, with the
 * profiles of its configuration, and drives the {@link AlarmOutput}s. It needs neither the broker
 * nor the gateway: readings come straight from the sampler ({@link #onSampled}, measurement time)
 * and a periodic {@link #check} raises monitoring-lost and ends the mute (clock time). The units'
 * door, power and agitator inputs come in through {@link #onInput}, so a door left open or the
 * mains lost sounds the buzzer after the profile's delay, network or not.
 *
 * <p>Each unit's engine state is saved in an {@link AlarmStateStore} when its alarms change (a
 * delay starts, an alarm is raised or cleared) and at least every {@link #SAVE_EVERY} while
 * anything changes, and read back at start: after a restart a pending delay goes on from when it
 * began and a latched alarm stays. A saved state is not used (the unit starts afresh, logged)
 * when it was evaluated against another profile, or holds a time later than the clock now shows
 * (the clock went back, e.g. a Pi without network starting from an old time: the engine would
 * otherwise ignore every reading until the clock caught up).
 *
 * <p>Events: every alarm the engine raises or clears is an {@link AgentEvent.Type#LOCAL_ALARM}
 * occurrence (detail: the alarm kind), dated when it was raised or cleared; a press that mutes is
 * an {@link AgentEvent.Type#ALARM_MUTED} occurrence for each unit then in alarm, and the mute's end
 * the same with {@code active=false}. They go to the events consumer after the outputs are driven.
 *
 * <p>Mute: a press while an alarm sounds silences the buzzer for the configured time (the LED stays
 * lit); a press with nothing sounding, or during a mute, is ignored (so contact bounce is harmless).
 * A new alarm (a unit or kind not in alarm at the press) ends the mute at once. Mute and its end
 * are logged and are events. A restart ends a mute (the buzzer sounds again: loud, not silent).
 *
 * <p>Thread-safe: the sampler, the check schedule and the button call in on their own threads.
 */
public final class LocalAlarms implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalAlarms.class);
  /** How often {@link #start} runs {@link #check}: the mute ends at most this late. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(1);
  /** While a unit's state changes without its alarms changing (readings, exposure), it is saved this often. */
  public static final Duration SAVE_EVERY = Duration.ofMinutes(10);

  private final Map<String, Profile> profiles;
  private final Clock clock;
  private final Duration mute;
  private final List<AlarmOutput> outputs;
  private final Consumer<Occurrence> events;
  private final AlarmStateStore store;
  private final Map<String, UnitState> states = new LinkedHashMap<>();
  /** What the store holds, by unit. */
  private final Map<String, UnitState> saved = new HashMap<>();
  /** Events of the evaluation under way, sent once the outputs show it. */
  private final List<Occurrence> pending = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private long mutedUntil = UnitState.NEVER;
  private Set<String> mutedConditions = Set.of();
  private Set<String> mutedUnits = Set.of();
  private long lastSave = UnitState.NEVER;
  private long lastSaveFailureLogged = UnitState.NEVER;
  private AlarmPanel shown;
  private ScheduledFuture<?> schedule;
  private boolean closed;

  /**
   * Starts watching every unit of {@code profiles} at the clock's current time, without events
   * or saved state, and shows the (quiet) panel on every output.
   *
   * @param profiles each unit's profile, by unit id
   * @param mute how long a press of the mute button silences the buzzer
   * @param outputs where the alarm is shown; closed by {@link #close()}
   */
  public LocalAlarms(Map<String, Profile> profiles, Clock clock, Duration mute, List<AlarmOutput> outputs) {
    this(profiles, clock, mute, outputs, o -> { }, AlarmStateStore.NONE);
  }

  /**
   * Starts watching every unit of {@code profiles}: from its saved state when {@code store} has a
   * usable one, else afresh at the clock's current time; shows the panel on every output.
   *
   * @param events takes each local alarm and mute event, in order, on the calling thread under
   *     this object's lock; may block briefly (an fsync); an exception is logged
   * @param store where each unit's engine state outlives the agent; read here, written as the
   *     class comment says, and once more by {@link #close()}; stays the caller's
   */
  public LocalAlarms(Map<String, Profile> profiles, Clock clock, Duration mute, List<AlarmOutput> outputs,
      Consumer<Occurrence> events, AlarmStateStore store) {
    this.profiles = Map.copyOf(profiles);
    this.clock = Checks.requireNonNull("clock", clock);
    this.mute = Checks.requireNonNull("mute", mute);
    Checks.require(!mute.isNegative() && !mute.isZero(), "mute", mute, "be positive");
    this.outputs = List.copyOf(outputs);
    this.events = Checks.requireNonNull("events", events);
    this.store = Checks.requireNonNull("store", store);
    long now = clock.millis();
    Map<String, AlarmStateStore.Saved> stored = loadQuietly(store);
    for (String unit : new TreeSet<>(this.profiles.keySet())) {
      UnitState restored = restore(unit, this.profiles.get(unit), stored.get(unit), now);
      states.put(unit, restored);
      if (stored.containsKey(unit) && restored.equals(stored.get(unit).state())) {
        saved.put(unit, restored);
      }
    }
    lock.lock();
    try {
      refresh();
      persist(now, true);
    } finally {
      lock.unlock();
    }
  }

  private static Map<String, AlarmStateStore.Saved> loadQuietly(AlarmStateStore store) {
    try {
      return store.load();
    } catch (RuntimeException e) {
      log.error("The saved local alarm states cannot be read ({}); every unit starts afresh", e.toString());
      return Map.of();
    }
  }

  /** The saved state of {@code unit} if it can be used at {@code now}, else a fresh start. */
  private static UnitState restore(String unit, Profile p, AlarmStateStore.Saved saved, long now) {
    if (saved == null) {
      return UnitState.start(now);
    }
    if (!saved.profile().equals(p.id())) {
      log.warn("Unit {} now has profile {} (was {}): its local alarms start afresh", unit, p.id(), saved.profile());
      return UnitState.start(now);
    }
    UnitState s = saved.state();
    long newest = newest(s);
    if (newest > now) {
      log.warn("The saved local alarm state of unit {} is from {}, later than the clock now ({}): the clock went"
          + " back, so its local alarms start afresh", unit, Instant.ofEpochMilli(newest), Instant.ofEpochMilli(now));
      return UnitState.start(now);
    }
    Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
    s.rules().forEach((kind, rule) -> {
      if (p.rule(kind).isPresent()) {  // a rule the profile no longer has would never clear
        rules.put(kind, rule);
      }
    });
    UnitState restored = new UnitState(s.watchSince(), s.lastSampleAt(), s.lastValidAt(), s.lastCelsius(), rules,
        s.monitoringLostSince(), s.stayStart(), s.calibrationDue(), s.calibrationOverdueSince());
    Set<AlarmKind> on = active(restored);
    List<AlarmKind> waiting = restored.rules().entrySet().stream()
        .filter(e -> e.getValue().phase() == RuleState.Phase.PENDING).map(Map.Entry::getKey).toList();
    log.info("Unit {}: local alarm state restored, as of {}{}{}", unit, Instant.ofEpochMilli(newest),
        on.isEmpty() ? "" : "; on: " + on, waiting.isEmpty() ? "" : "; delay running: " + waiting);
    return restored;
  }

  /** The latest time the state holds. */
  private static long newest(UnitState s) {
    long t = Math.max(s.watchSince(), Math.max(s.lastSampleAt(), s.lastValidAt()));
    t = Math.max(t, Math.max(s.monitoringLostSince(), Math.max(s.stayStart(), s.calibrationOverdueSince())));
    for (RuleState r : s.rules().values()) {
      t = Math.max(t, Math.max(r.since(), Math.max(r.raisedAt(), r.lastAt())));
    }
    return t;
  }

  /**
   * Ends what the gateway was last told is on but this engine does not have on (an alarm of a
   * state that could not be restored, or of a unit no longer configured; a mute cut short by the
   * restart): a {@code false} event for each, at the clock's time. Called once, after start.
   *
   * @param lastReported the local alarm and mute conditions whose last event was {@code active}
   */
  public void reconcile(List<Occurrence> lastReported) {
    lock.lock();
    try {
      long now = clock.millis();
      for (Occurrence o : lastReported) {
        if (!o.active()) {
          continue;
        }
        boolean stillOn = switch (o.type()) {
          case LOCAL_ALARM -> states.containsKey(o.unit()) && activeOrWarned(states.get(o.unit())).stream()
              .anyMatch(k -> k.name().equals(o.detail()));
          case ALARM_MUTED -> mutedUnits.contains(o.unit());
          default -> true;  // inputs: the input watcher reports their state
        };
        if (!stillOn) {
          log.info("Unit {}: {} was last reported on; it is not on now", o.unit(), o.detail().isEmpty()
              ? o.type().wire() : o.detail());
          pending.add(new Occurrence(now, o.unit(), o.type(), false, o.detail(), o.clockSynced()));
        }
      }
      flushEvents();
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
        apply(m.unit(), ExcursionEngine.onSample(p, states.get(m.unit()), sample, m.time()));
      }
      refresh();
      flushEvents();
      persist(clock.millis(), false);
    } catch (Throwable t) {
      log.error("Local alarm evaluation failed for this tick", t);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Evaluates a change of a unit's door, power or agitator input (measurement time). A unit
   * without that rule in its profile ignores it. Never throws: a failure is logged.
   */
  public void onInput(String unit, InputChange change) {
    lock.lock();
    try {
      Profile p = profiles.get(unit);
      if (closed || p == null) {
        return;
      }
      apply(unit, ExcursionEngine.onInput(p, states.get(unit), change, change.time()));
      refresh();
      flushEvents();
      persist(clock.millis(), false);
    } catch (Throwable t) {
      log.error("Local alarm evaluation failed for input {} of unit {}", change, unit, t);
    } finally {
      lock.unlock();
    }
  }

  /** Keeps the engine's new state of {@code unit} and queues its raised and cleared alarms as events. */
  private void apply(String unit, ExcursionEngine.Outcome outcome) {
    states.put(unit, outcome.state());
    for (ExcursionEvent e : outcome.events()) {
      if (e instanceof ExcursionEvent.Raised r) {
        pending.add(new Occurrence(Math.max(0, r.raisedAt()), unit, AgentEvent.Type.LOCAL_ALARM, true,
            r.kind().name(), true));
      } else if (e instanceof ExcursionEvent.Cleared c) {
        pending.add(new Occurrence(Math.max(0, c.endedAt()), unit, AgentEvent.Type.LOCAL_ALARM, false,
            c.kind().name(), true));
      }
    }
  }

  /** Hands the queued events to the consumer, in order. Holds the lock. */
  private void flushEvents() {
    for (Occurrence o : pending) {
      try {
        events.accept(o);
      } catch (RuntimeException e) {
        log.error("Local event {} could not be recorded", o, e);
      }
    }
    pending.clear();
  }

  /**
   * Saves the units whose alarms changed since the last save, and, every {@link #SAVE_EVERY}
   * (or when {@code force}), every unit whose state changed at all. Holds the lock; never throws.
   */
  private void persist(long now, boolean force) {
    boolean due = force || lastSave == UnitState.NEVER || now - lastSave >= SAVE_EVERY.toMillis() || now < lastSave;
    Map<String, AlarmStateStore.Saved> changed = new HashMap<>();
    states.forEach((unit, s) -> {
      UnitState before = saved.get(unit);
      if (before == null || !alarmsOf(before).equals(alarmsOf(s)) || (due && !before.equals(s))) {
        changed.put(unit, new AlarmStateStore.Saved(profiles.get(unit).id(), s));
      }
    });
    if (due) {
      lastSave = now;
    }
    if (changed.isEmpty()) {
      return;
    }
    try {
      store.save(changed);
      changed.forEach((unit, st) -> saved.put(unit, st.state()));
    } catch (RuntimeException e) {
      if (lastSaveFailureLogged == UnitState.NEVER || now - lastSaveFailureLogged >= SAVE_EVERY.toMillis()
          || now < lastSaveFailureLogged) {
        lastSaveFailureLogged = now;
        log.error("The local alarm state cannot be saved ({}); a restart now would start the delays again",
            e.toString());
      }
    }
  }

  /** What a save must not wait for: each rule's phase and start, monitoring lost, the stay and calibration. */
  private static List<Object> alarmsOf(UnitState s) {
    List<Object> key = new ArrayList<>();
    key.add(s.monitoringLostSince());
    key.add(s.stayStart());
    key.add(s.calibrationOverdueSince());
    s.rules().forEach((kind, r) -> key.add(List.of(kind, r.phase(), r.since(), r.raisedAt())));
    return key;
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
      for (String unit : List.copyOf(states.keySet())) {
        apply(unit, ExcursionEngine.onTick(profiles.get(unit), states.get(unit), now));
      }
      if (mutedUntil != UnitState.NEVER && now >= mutedUntil) {
        endMute("the mute time is over");
      }
      refresh();
      flushEvents();
      persist(now, false);
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
      mutedUnits = Set.copyOf(shown.unitsInAlarm());
      log.warn("EVENT mute: local alarm buzzer muted for {} by the button; still in alarm: {}", mute,
          mutedUnits);
      for (String unit : mutedUnits) {
        pending.add(Occurrence.of(now, unit, AgentEvent.Type.ALARM_MUTED, true));
      }
      refresh();
      flushEvents();
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
    long now = clock.millis();
    for (String unit : mutedUnits) {
      pending.add(Occurrence.of(now, unit, AgentEvent.Type.ALARM_MUTED, false));
    }
    mutedUntil = UnitState.NEVER;
    mutedConditions = Set.of();
    mutedUnits = Set.of();
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

  /** {@link #active} and a calibration overdue: every kind the engine has raised and not cleared. */
  private static Set<AlarmKind> activeOrWarned(UnitState s) {
    Set<AlarmKind> kinds = active(s);
    if (s.calibrationOverdue()) {
      kinds.add(AlarmKind.CALIBRATION_OVERDUE);
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

  /** Stops the checks, saves every unit's state and turns every output off. Idempotent. */
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
      persist(clock.millis(), true);
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
