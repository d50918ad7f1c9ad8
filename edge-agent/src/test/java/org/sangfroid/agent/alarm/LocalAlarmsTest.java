package org.sangfroid.agent.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.Quality;

/** The local alarm on core's engine, with a fake output and a hand-moved clock (issue 3, on-site alarms). */
class LocalAlarmsTest {
  private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");
  private static final Duration MUTE = Duration.ofMinutes(30);

  private final MutableClock clock = new MutableClock(T0);
  private final FakeOutput output = new FakeOutput();

  /** Records every panel shown. */
  private static final class FakeOutput implements AlarmOutput {
    final List<AlarmPanel> shown = new ArrayList<>();
    boolean closed;

    @Override
    public void show(AlarmPanel panel) {
      shown.add(panel);
    }

    @Override
    public void close() {
      closed = true;
    }

    AlarmPanel last() {
      return shown.get(shown.size() - 1);
    }
  }

  private LocalAlarms alarms(String... units) {
    Map<String, Profile> profiles = new HashMap<>();
    for (String u : units) {
      profiles.put(u, Profiles.byId("RBC_STORE_EU").orElseThrow());
    }
    return new LocalAlarms(profiles, clock, MUTE, List.of(output));
  }

  /** Moves the clock to {@code minute} after T0 and samples {@code unit} at {@code celsius} then. */
  private void sample(LocalAlarms alarms, String unit, int minute, double celsius) {
    clock.advance(Duration.between(clock.instant(), T0.plus(Duration.ofMinutes(minute))));
    alarms.onSampled(List.of(new Measurement(clock.millis(), unit, "probe-" + unit, celsius, Quality.OK, true)));
  }

  private void at(LocalAlarms alarms, int minute) {
    clock.advance(Duration.between(clock.instant(), T0.plus(Duration.ofMinutes(minute))));
    alarms.check();
  }

  @ParameterizedTest(name = "{0} -> sounding {1}")
  @CsvSource({
      // minute:°C readings of one RBC fridge (+2..+6 °C, delay 5 min, hysteresis 0.5)
      "'0:4.0',                     false",
      "'0:6.5 4:6.5',               false", // beyond, delay not yet over
      "'0:6.5 5:6.5',               true",  // beyond for the delay
      "'0:6.5 3:5.0 5:6.5',         false", // back in range resets the delay
      "'0:6.5 5:6.5 6:5.8',         true",  // inside the limit but not by the hysteresis
      "'0:6.5 5:6.5 6:5.4',         false", // back in range by the hysteresis: off
      "'0:1.5 5:1.5',               true",  // below the range
      "'0:0.5',                     true",  // below the absolute +1 °C: at once
      "'0:5.7 5:5.7',               false", // a warning neither sounds nor lights
  })
  void onSampled_readingsOfOneUnit_soundsOnlyWhileInAlarm(String readings, boolean sounding) {
    LocalAlarms alarms = alarms("fridge-1");
    for (String r : readings.trim().split(" ")) {
      String[] parts = r.split(":");
      sample(alarms, "fridge-1", Integer.parseInt(parts[0]), Double.parseDouble(parts[1]));
    }

    assertThat(alarms.panel().sounding()).isEqualTo(sounding);
    assertThat(output.last().alarm()).isEqualTo(sounding);
  }

  @Test
  void start_noReadingYet_showsQuietPanelOnce() {
    alarms("fridge-1");

    assertThat(output.shown).containsExactly(new AlarmPanel(Map.of(), false));
  }

  @Test
  void onSampled_twoUnitsInAlarm_soundsUntilTheLastIsBackInRange() {
    LocalAlarms alarms = alarms("fridge-1", "fridge-2");
    sample(alarms, "fridge-1", 0, 7.0);
    sample(alarms, "fridge-2", 1, 7.0);
    sample(alarms, "fridge-1", 5, 7.0);
    assertThat(alarms.panel().unitsInAlarm()).containsExactly("fridge-1");
    sample(alarms, "fridge-2", 6, 7.0);
    assertThat(alarms.panel().unitsInAlarm()).containsExactly("fridge-1", "fridge-2");

    sample(alarms, "fridge-1", 7, 4.0);
    assertThat(alarms.panel().unitsInAlarm()).containsExactly("fridge-2");
    assertThat(alarms.panel().sounding()).isTrue();

    sample(alarms, "fridge-2", 8, 4.0);
    assertThat(alarms.panel().sounding()).isFalse();
    assertThat(output.last()).isEqualTo(new AlarmPanel(Map.of(), false));
  }

  @Test
  void check_noValidReadingForMonitoringLostTime_soundsMonitoringLost() {
    LocalAlarms alarms = alarms("fridge-1");
    sample(alarms, "fridge-1", 0, 4.0);
    alarms.onSampled(List.of(new Measurement(clock.millis(), "fridge-1", "p", Double.NaN, Quality.DISCONNECTED, true)));

    at(alarms, 9);
    assertThat(alarms.panel().sounding()).isFalse();
    at(alarms, 10);

    assertThat(alarms.panel().active()).containsEntry("fridge-1", Set.of(AlarmKind.MONITORING_LOST));
    assertThat(alarms.panel().sounding()).isTrue();
    sample(alarms, "fridge-1", 11, 4.0);
    assertThat(alarms.panel().sounding()).isFalse();
  }

  @Test
  void mutePressed_alarmSounding_silencesBuzzerKeepsLedAndReArmsAfterMuteTime() {
    LocalAlarms alarms = alarms("fridge-1");
    sample(alarms, "fridge-1", 0, 7.0);
    sample(alarms, "fridge-1", 5, 7.0);

    assertThat(alarms.mutePressed()).isTrue();
    assertThat(output.last().sounding()).isFalse();
    assertThat(output.last().alarm()).isTrue();
    assertThat(output.last().muted()).isTrue();

    assertThat(alarms.mutePressed()).as("a bounce or second press").isFalse();
    // Readings go on (else monitoring-lost, a new alarm, would end the mute early).
    sample(alarms, "fridge-1", 15, 7.0);
    sample(alarms, "fridge-1", 25, 7.0);
    sample(alarms, "fridge-1", 5 + 29, 7.0);
    at(alarms, 5 + 29);
    assertThat(alarms.panel().sounding()).isFalse();
    at(alarms, 5 + 30);
    assertThat(alarms.panel().sounding()).isTrue();
    assertThat(output.last().muted()).isFalse();
  }

  @Test
  void mutePressed_thenNewUnitInAlarm_soundsAgainAtOnce() {
    LocalAlarms alarms = alarms("fridge-1", "fridge-2");
    sample(alarms, "fridge-1", 0, 7.0);
    sample(alarms, "fridge-1", 5, 7.0);
    alarms.mutePressed();

    sample(alarms, "fridge-2", 6, 0.5);

    assertThat(alarms.panel().sounding()).isTrue();
    assertThat(alarms.panel().unitsInAlarm()).containsExactly("fridge-1", "fridge-2");
  }

  @Test
  void mutePressed_alarmClearsDuringMute_nextAlarmSoundsUnmuted() {
    LocalAlarms alarms = alarms("fridge-1");
    sample(alarms, "fridge-1", 0, 7.0);
    sample(alarms, "fridge-1", 5, 7.0);
    alarms.mutePressed();
    sample(alarms, "fridge-1", 6, 4.0);
    assertThat(output.last()).isEqualTo(new AlarmPanel(Map.of(), false));

    sample(alarms, "fridge-1", 7, 0.5);

    assertThat(alarms.panel().sounding()).isTrue();
  }

  @Test
  void mutePressed_nothingSounding_isIgnored() {
    LocalAlarms alarms = alarms("fridge-1");
    sample(alarms, "fridge-1", 0, 4.0);

    assertThat(alarms.mutePressed()).isFalse();
    assertThat(alarms.panel().muted()).isFalse();
  }

  @Test
  void show_oneOutputThrows_otherOutputsStillDriven() {
    AlarmOutput broken = panel -> {
      throw new IllegalStateException("GPIO gone");
    };
    LocalAlarms alarms = new LocalAlarms(Map.of("fridge-1", Profiles.byId("RBC_STORE_EU").orElseThrow()), clock,
        MUTE, List.of(broken, output));

    sample(alarms, "fridge-1", 0, 0.5);

    assertThat(output.last().sounding()).isTrue();
  }

  @Test
  void close_afterClose_outputsClosedAndReadingsIgnored() {
    LocalAlarms alarms = alarms("fridge-1");
    alarms.close();
    alarms.close();

    sample(alarms, "fridge-1", 0, 0.5);

    assertThat(output.closed).isTrue();
    assertThat(alarms.check()).isFalse();
    assertThat(output.shown).hasSize(1);
  }
}
