package org.sangfroid.agent.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Occurrence;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.AgentEvent.Type;
import org.sangfroid.core.wire.Quality;

/**
 * The local alarm's events (local alarms raised and cleared, mute), its door, power and agitator
 * inputs, and its state across a restart, on a hand-moved clock (issue 3).
 */
class LocalAlarmsEventsTest {
  private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");
  private static final Duration MUTE = Duration.ofMinutes(30);

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(T0);
  private final List<Occurrence> events = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private static Map<String, Profile> profiles(String profile, String... units) {
    Map<String, Profile> out = new HashMap<>();
    for (String u : units) {
      out.put(u, Profiles.byId(profile).orElseThrow());
    }
    return out;
  }

  private LocalAlarms alarms(Map<String, Profile> profiles, AlarmStateStore store) {
    LocalAlarms alarms = new LocalAlarms(profiles, clock, MUTE, List.of(), events::add, store);
    open.add(0, alarms);
    return alarms;
  }

  private LocalAlarms fridges(String... units) {
    return alarms(profiles("RBC_STORE_EU", units), AlarmStateStore.NONE);
  }

  private SqliteAlarmStateStore store() {
    Outbox.open(dataDir).close();  // the agent opens the outbox first
    SqliteAlarmStateStore store = SqliteAlarmStateStore.open(dataDir);
    open.add(store);
    return store;
  }

  private void moveTo(Duration sinceT0) {
    clock.advance(Duration.between(clock.instant(), T0.plus(sinceT0)));
  }

  private void sample(LocalAlarms alarms, String unit, int minute, double celsius) {
    moveTo(Duration.ofMinutes(minute));
    alarms.onSampled(List.of(new Measurement(clock.millis(), unit, "probe-" + unit, celsius, Quality.OK, true)));
  }

  private void checkAt(LocalAlarms alarms, Duration sinceT0) {
    moveTo(sinceT0);
    assertThat(alarms.check()).isTrue();
  }

  private void input(LocalAlarms alarms, String unit, InputChange.Input input, boolean active, Duration sinceT0) {
    moveTo(sinceT0);
    alarms.onInput(unit, new InputChange(input, active, clock.millis()));
  }

  private static long at(Duration sinceT0) {
    return T0.plus(sinceT0).toEpochMilli();
  }

  private static long minute(int m) {
    return at(Duration.ofMinutes(m));
  }

  @Test
  void alarmRaisedThenCleared_localAlarmEventsAtThoseTimes() {
    LocalAlarms alarms = fridges("rbc-fridge-1");

    sample(alarms, "rbc-fridge-1", 0, 6.5);
    sample(alarms, "rbc-fridge-1", 5, 6.5);
    sample(alarms, "rbc-fridge-1", 6, 4.0);

    assertThat(events).containsExactly(
        new Occurrence(minute(5), "rbc-fridge-1", Type.LOCAL_ALARM, true, "HIGH_TEMPERATURE", true),
        new Occurrence(minute(5), "rbc-fridge-1", Type.LOCAL_ALARM, true, "HIGH_WARNING", true),
        new Occurrence(minute(6), "rbc-fridge-1", Type.LOCAL_ALARM, false, "HIGH_TEMPERATURE", true),
        new Occurrence(minute(6), "rbc-fridge-1", Type.LOCAL_ALARM, false, "HIGH_WARNING", true));
  }

  @Test
  void mutePress_mutedEventForEachUnitInAlarm_endedWhenTheMuteTimeIsOver() {
    LocalAlarms alarms = fridges("rbc-fridge-1", "rbc-fridge-2");
    sample(alarms, "rbc-fridge-2", 0, 4.0);
    sample(alarms, "rbc-fridge-1", 0, 6.5);
    sample(alarms, "rbc-fridge-1", 5, 6.5);  // above the range for the delay
    events.clear();

    assertThat(alarms.mutePressed()).isTrue();
    for (int m = 10; m <= 35; m += 5) {  // readings keep coming: no new alarm ends the mute
      sample(alarms, "rbc-fridge-1", m, 6.5);
      sample(alarms, "rbc-fridge-2", m, 4.0);
      checkAt(alarms, Duration.ofMinutes(m));
    }

    assertThat(events).containsExactly(
        Occurrence.of(minute(5), "rbc-fridge-1", Type.ALARM_MUTED, true),
        Occurrence.of(minute(35), "rbc-fridge-1", Type.ALARM_MUTED, false));
    assertThat(alarms.panel().sounding()).isTrue();
  }

  @Test
  void muteEndedByANewAlarm_mutedFalseAfterTheNewAlarm() {
    LocalAlarms alarms = fridges("rbc-fridge-1", "rbc-fridge-2");
    sample(alarms, "rbc-fridge-1", 0, 0.5);
    alarms.mutePressed();
    events.clear();

    sample(alarms, "rbc-fridge-2", 2, 0.5);

    assertThat(events).extracting(Occurrence::unit, Occurrence::type, Occurrence::active, Occurrence::detail)
        .containsExactly(
            tuple("rbc-fridge-2", Type.LOCAL_ALARM, true, "ABSOLUTE_LOW"),
            tuple("rbc-fridge-1", Type.ALARM_MUTED, false, ""));
  }

  @Test
  void doorOpenForTheDelay_buzzerSoundsWithoutAReading_andStopsWhenClosed() {
    LocalAlarms alarms = fridges("rbc-fridge-1");

    input(alarms, "rbc-fridge-1", InputChange.Input.DOOR_OPEN, true, Duration.ofSeconds(10));
    checkAt(alarms, Duration.ofSeconds(309));
    assertThat(alarms.panel().sounding()).as("open 4 min 59 s").isFalse();
    checkAt(alarms, Duration.ofSeconds(310));
    assertThat(alarms.panel().alarms("rbc-fridge-1")).containsExactly(AlarmKind.DOOR_OPEN);
    assertThat(alarms.panel().sounding()).isTrue();

    input(alarms, "rbc-fridge-1", InputChange.Input.DOOR_OPEN, false, Duration.ofSeconds(400));

    assertThat(alarms.panel().sounding()).isFalse();
    assertThat(events).containsExactly(
        new Occurrence(at(Duration.ofSeconds(310)), "rbc-fridge-1", Type.LOCAL_ALARM, true, "DOOR_OPEN", true),
        new Occurrence(at(Duration.ofSeconds(400)), "rbc-fridge-1", Type.LOCAL_ALARM, false, "DOOR_OPEN", true));
  }

  @Test
  void powerLostForTheDelay_sounds() {
    LocalAlarms alarms = alarms(profiles("FFP_CRYO_EU", "ffp-freezer-1"), AlarmStateStore.NONE);

    input(alarms, "ffp-freezer-1", InputChange.Input.POWER_LOST, true, Duration.ZERO);
    checkAt(alarms, Duration.ofMinutes(1));

    assertThat(alarms.panel().alarms("ffp-freezer-1")).containsExactly(AlarmKind.POWER_LOST);
  }

  @Test
  void agitatorInputOnAProfileWithoutTheRule_ignored() {
    LocalAlarms alarms = fridges("rbc-fridge-1");

    input(alarms, "rbc-fridge-1", InputChange.Input.AGITATOR_STOPPED, true, Duration.ZERO);
    checkAt(alarms, Duration.ofHours(1));

    assertThat(alarms.panel().alarms("rbc-fridge-1")).doesNotContain(AlarmKind.AGITATOR_STOPPED);
  }

  /** Issue 3: a restart in the middle of an excursion does not start its delay again. */
  @Test
  void restartWhileTheDelayRuns_delayGoesOnFromWhenItBegan() {
    SqliteAlarmStateStore store = store();
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    sample(before, "rbc-fridge-1", 0, 6.5);
    sample(before, "rbc-fridge-1", 3, 6.5);
    before.close();

    moveTo(Duration.ofMinutes(4));
    LocalAlarms after = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    sample(after, "rbc-fridge-1", 5, 6.5);

    assertThat(after.panel().sounding()).as("5 min beyond since minute 0").isTrue();
    assertThat(events).extracting(Occurrence::time, Occurrence::detail)
        .contains(tuple(minute(5), "HIGH_TEMPERATURE"));
  }

  @Test
  void restartWithoutAStore_delayStartsAgain() {
    LocalAlarms before = fridges("rbc-fridge-1");
    sample(before, "rbc-fridge-1", 0, 6.5);
    before.close();

    LocalAlarms after = fridges("rbc-fridge-1");
    sample(after, "rbc-fridge-1", 5, 6.5);

    assertThat(after.panel().sounding()).isFalse();
  }

  @Test
  void restartInAlarm_soundsAtOnceWithoutASecondEvent() {
    SqliteAlarmStateStore store = store();
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    sample(before, "rbc-fridge-1", 0, 6.5);
    sample(before, "rbc-fridge-1", 5, 6.5);
    before.close();
    events.clear();

    moveTo(Duration.ofMinutes(6));
    LocalAlarms after = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);

    assertThat(after.panel().alarms("rbc-fridge-1")).containsExactly(AlarmKind.HIGH_TEMPERATURE);
    sample(after, "rbc-fridge-1", 7, 6.5);
    assertThat(events).isEmpty();
  }

  @Test
  void restartWithTheDoorOpen_doorAlarmAfterTheDelayFromTheOpening() {
    SqliteAlarmStateStore store = store();
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    input(before, "rbc-fridge-1", InputChange.Input.DOOR_OPEN, true, Duration.ZERO);
    checkAt(before, Duration.ofMinutes(2));
    before.close();

    moveTo(Duration.ofMinutes(3));
    LocalAlarms after = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    input(after, "rbc-fridge-1", InputChange.Input.DOOR_OPEN, true, Duration.ofMinutes(3));  // found open at start
    checkAt(after, Duration.ofMinutes(5));

    assertThat(after.panel().alarms("rbc-fridge-1")).containsExactly(AlarmKind.DOOR_OPEN);
  }

  @Test
  void restartWithAnotherProfile_unitStartsAfresh() {
    SqliteAlarmStateStore store = store();
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "unit-1"), store);
    sample(before, "unit-1", 0, 0.5);  // absolute low: latched alarm
    before.close();

    LocalAlarms after = alarms(profiles("RBC_STORE_US", "unit-1"), store);

    assertThat(after.panel().alarm()).isFalse();
  }

  @Test
  void restartWithTheClockBehindTheSavedState_unitStartsAfreshAndHearsReadings() {
    SqliteAlarmStateStore store = store();
    moveTo(Duration.ofHours(2));
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    sample(before, "rbc-fridge-1", 120, 4.0);
    before.close();

    // The Pi restarts without network and its clock starts an hour earlier.
    MutableClock earlier = new MutableClock(T0.plus(Duration.ofHours(1)));
    LocalAlarms after = new LocalAlarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), earlier, MUTE, List.of(),
        events::add, store);
    open.add(0, after);
    after.onSampled(List.of(new Measurement(earlier.millis(), "rbc-fridge-1", "probe", 0.5, Quality.OK, true)));

    assertThat(after.panel().alarms("rbc-fridge-1")).as("the reading is evaluated, not ignored as old")
        .containsExactly(AlarmKind.ABSOLUTE_LOW);
  }

  @Test
  void saves_whenAlarmsChangeAndEveryTenMinutesOtherwise() {
    List<Set<String>> saves = new ArrayList<>();
    AlarmStateStore counting = new AlarmStateStore() {
      @Override
      public Map<String, Saved> load() {
        return Map.of();
      }

      @Override
      public void save(Map<String, Saved> states) {
        saves.add(Set.copyOf(states.keySet()));
      }
    };
    LocalAlarms alarms = alarms(profiles("RBC_STORE_EU", "u1"), counting);
    assertThat(saves).as("the fresh state, at start").hasSize(1);

    for (int m = 1; m <= 9; m++) {
      sample(alarms, "u1", m, 4.0);
    }
    assertThat(saves).as("readings in range: no save before 10 minutes").hasSize(1);
    sample(alarms, "u1", 10, 4.0);
    assertThat(saves).hasSize(2);
    sample(alarms, "u1", 11, 6.5);
    assertThat(saves).as("a delay starts: saved at once").hasSize(3);
    sample(alarms, "u1", 12, 6.5);
    assertThat(saves).hasSize(3);
    alarms.close();
    assertThat(saves).as("on close").hasSize(4);
  }

  @Test
  void storeFails_alarmsStillSound() {
    AlarmStateStore broken = new AlarmStateStore() {
      @Override
      public Map<String, Saved> load() {
        throw new IllegalStateException("disk I/O error");
      }

      @Override
      public void save(Map<String, Saved> states) {
        throw new IllegalStateException("disk I/O error");
      }
    };
    LocalAlarms alarms = alarms(profiles("RBC_STORE_EU", "u1"), broken);

    sample(alarms, "u1", 0, 0.5);

    assertThat(alarms.panel().sounding()).isTrue();
  }

  @Test
  void reconcile_endsWhatWasLastReportedOnButIsNotOnNow() {
    SqliteAlarmStateStore store = store();
    LocalAlarms before = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    sample(before, "rbc-fridge-1", 0, 0.5);  // ABSOLUTE_LOW, latched until back by the hysteresis
    before.close();
    LocalAlarms after = alarms(profiles("RBC_STORE_EU", "rbc-fridge-1"), store);
    events.clear();
    moveTo(Duration.ofMinutes(1));

    after.reconcile(List.of(
        new Occurrence(minute(0), "rbc-fridge-1", Type.LOCAL_ALARM, true, "ABSOLUTE_LOW", true),
        new Occurrence(minute(0), "rbc-fridge-1", Type.LOCAL_ALARM, true, "HIGH_TEMPERATURE", true),
        new Occurrence(minute(0), "old-unit", Type.LOCAL_ALARM, true, "PROBE_FAULT", true),
        Occurrence.of(minute(0), "rbc-fridge-1", Type.ALARM_MUTED, true),
        Occurrence.of(minute(0), "rbc-fridge-1", Type.DOOR_OPEN, true)));

    assertThat(events).containsExactly(
        new Occurrence(minute(1), "rbc-fridge-1", Type.LOCAL_ALARM, false, "HIGH_TEMPERATURE", true),
        new Occurrence(minute(1), "old-unit", Type.LOCAL_ALARM, false, "PROBE_FAULT", true),
        Occurrence.of(minute(1), "rbc-fridge-1", Type.ALARM_MUTED, false));
  }
}
