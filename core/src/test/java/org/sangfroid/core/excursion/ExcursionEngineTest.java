package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.ExcursionEvent.Cleared;
import org.sangfroid.core.excursion.ExcursionEvent.Raised;

class ExcursionEngineTest {
  private static final long MIN = 60_000;
  /** The acceptable range of a red-cell fridge only: +2..+6 °C, 5 min delay, 0.5 °C hysteresis. */
  private static final Profile RBC = rangeOnly(Profiles.byId("RBC_STORE_EU").orElseThrow());

  private static Profile rangeOnly(Profile p) {
    return new Profile(p.id(), p.title(), p.low(), p.high(), p.rules().stream()
        .filter(r -> r.kind() == AlarmKind.HIGH_TEMPERATURE || r.kind() == AlarmKind.LOW_TEMPERATURE).toList(),
        p.monitoringLostAfter(), p.source());
  }
  private static final long T0 = 1_763_900_000_000L;

  /** Feeds one reading a minute (values in °C, blank = probe fault) and collects the events. */
  private static Run run(Profile p, String values) {
    UnitState s = UnitState.start(T0);
    List<ExcursionEvent> events = new ArrayList<>();
    long t = T0;
    for (String v : values.trim().split("\\s+")) {
      Sample sample = v.equals("x") ? Sample.fault(t) : Sample.of(t, Double.parseDouble(v));
      var out = ExcursionEngine.onSample(p, s, sample, t);
      s = out.state();
      events.addAll(out.events());
      t += MIN;
    }
    return new Run(s, events);
  }

  private record Run(UnitState state, List<ExcursionEvent> events) {
    String summary() {
      return String.join(" ", events.stream().map(Run::describe).toList());
    }

    private static String describe(ExcursionEvent e) {
      long minute = ((e instanceof Raised r ? r.raisedAt() : ((Cleared) e).endedAt()) - T0) / MIN;
      String kind = e.kind().name().substring(0, e.kind().name().indexOf('_') > 0 ? e.kind().name().indexOf('_') : 4);
      return (e instanceof Raised r ? "raise:" + kind + "@" + minute + "(from " + (r.startedAt() - T0) / MIN + ")"
          : "clear:" + kind + "@" + minute);
    }
  }

  /** One scenario per row: readings one minute apart, and the events expected (minute numbers). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      in range stays quiet                          | 4 4 5 6 6 2 2 3                        | ''
      exactly on the limits is in range             | 6.0 6.0 6.0 6.0 6.0 6.0 2.0 2.0         | ''
      above for less than the delay: no alarm       | 4 6.5 7 7 7 7 5 4                      | ''
      above for the delay: raised once, from first  | 4 6.5 7 7 7 7 7 7 7                    | raise:HIGH@6(from 1)
      clears only back inside by the hysteresis     | 4 7 7 7 7 7 7 5.8 5.6 5.5 4            | raise:HIGH@6(from 1) clear:HIGH@9
      wobbling on the limit raises one alarm        | 7 7 7 7 7 7 5.9 6.1 5.9 6.1 5.9 6.2 5.4 | raise:HIGH@5(from 0) clear:HIGH@12
      dip back into range resets the delay          | 7 7 7 7 5 7 7 7 7 7 7                  | raise:HIGH@10(from 5)
      low limit mirrors the high one                | 4 1.5 1 1 1 1 1 2.2 2.5                | raise:LOW@6(from 1) clear:LOW@8
      faults neither raise nor reset the delay      | 7 x 7 x 7 x 7                          | raise:HIGH@6(from 0)
      second excursion raises a second alarm        | 7 7 7 7 7 7 4 7 7 7 7 7 7              | raise:HIGH@5(from 0) clear:HIGH@6 raise:HIGH@12(from 7)
      """)
  void threshold_table(String scenario, String readings, String expected) {
    assertThat(run(RBC, readings).summary()).as(scenario).isEqualTo(expected);
  }

  @Test
  void raised_carriesReadingTimesPeakAndLimit() {
    Run r = run(RBC, "4 6.5 8 9.25 7 7 7");
    Raised raised = (Raised) r.events().get(0);
    assertThat(raised.kind()).isEqualTo(AlarmKind.HIGH_TEMPERATURE);
    assertThat(raised.startedAt()).isEqualTo(T0 + MIN);
    assertThat(raised.raisedAt()).isEqualTo(T0 + 6 * MIN);
    assertThat(raised.limit()).isEqualTo(6.0);
    assertThat(raised.celsius()).isEqualTo(7.0);
    assertThat(raised.peak()).isEqualTo(9.25);
    assertThat(raised.late()).isFalse();
  }

  @Test
  void cleared_carriesPeakOfWholeEpisode() {
    Run r = run(RBC, "7 7 7 7 7 7 11.5 7 4");
    assertThat(r.events()).last().isEqualTo(new Cleared(AlarmKind.HIGH_TEMPERATURE, T0 + 8 * MIN, 11.5));
  }

  @Test
  void freezerProfile_hasNoLowLimit() {
    Profile ffp = rangeOnly(Profiles.byId("FFP_CRYO_EU").orElseThrow());
    assertThat(run(ffp, "-80 -80 -80 -80 -80 -80 -80").events()).isEmpty();
    assertThat(run(ffp, "-30 -24 -24 -24 -24 -24 -24 -27").summary()).isEqualTo("raise:HIGH@6(from 1) clear:HIGH@7");
  }

  @Test
  void zeroDelay_raisesOnFirstReadingBeyond() {
    Profile p = RBC.withTiming(Duration.ZERO, 0.5, Duration.ofMinutes(10));
    assertThat(run(p, "4 6.1").summary()).isEqualTo("raise:HIGH@1(from 1)");
  }

  @Test
  void readingReceivedLongAfterMeasurement_raisesLateAlarm() {
    UnitState s = UnitState.start(T0);
    for (int i = 0; i <= 5; i++) {
      long t = T0 + i * MIN;
      var out = ExcursionEngine.onSample(RBC, s, Sample.of(t, 8), T0 + 3 * 60 * MIN);
      s = out.state();
      if (i == 5) {
        assertThat(out.events()).singleElement().extracting(e -> ((Raised) e).late()).isEqualTo(true);
        assertThat(((Raised) out.events().get(0)).startedAt()).isEqualTo(T0);
      }
    }
  }

  @Test
  void olderReading_isIgnoredAndFlagged() {
    var first = ExcursionEngine.onSample(RBC, UnitState.start(T0), Sample.of(T0 + 10 * MIN, 4), T0);
    var older = ExcursionEngine.onSample(RBC, first.state(), Sample.of(T0 + 5 * MIN, 9), T0);
    assertThat(older.outOfOrder()).isTrue();
    assertThat(older.state()).isEqualTo(first.state());
    assertThat(older.events()).isEmpty();
  }

  @ParameterizedTest(name = "no reading since start, tick at +{0} min -> raised {1}")
  @CsvSource({"9, false", "10, true", "60, true"})
  void monitoringLost_fromWatchStart(long minutes, boolean raised) {
    var out = ExcursionEngine.onTick(RBC, UnitState.start(T0), T0 + minutes * MIN);
    assertThat(!out.events().isEmpty()).isEqualTo(raised);
    assertThat(out.state().monitoringLost()).isEqualTo(raised);
  }

  @Test
  void monitoringLost_startsAtLastValidReading_raisedOnce_clearedByNextValid() {
    UnitState s = ExcursionEngine.onSample(RBC, UnitState.start(T0), Sample.of(T0 + MIN, 4), T0 + MIN).state();
    s = ExcursionEngine.onSample(RBC, s, Sample.fault(T0 + 2 * MIN), T0 + 2 * MIN).state();
    var lost = ExcursionEngine.onTick(RBC, s, T0 + 11 * MIN);
    assertThat(lost.events()).containsExactly(new Raised(AlarmKind.MONITORING_LOST, T0 + MIN, T0 + 11 * MIN,
        Double.NaN, Double.NaN, Double.NaN, false));
    assertThat(ExcursionEngine.onTick(RBC, lost.state(), T0 + 30 * MIN).events()).isEmpty();
    var fault = ExcursionEngine.onSample(RBC, lost.state(), Sample.fault(T0 + 31 * MIN), T0 + 31 * MIN);
    assertThat(fault.events()).as("a probe fault is not monitoring back").isEmpty();
    var back = ExcursionEngine.onSample(RBC, fault.state(), Sample.of(T0 + 32 * MIN, 4), T0 + 32 * MIN);
    assertThat(back.events()).containsExactly(new Cleared(AlarmKind.MONITORING_LOST, T0 + 32 * MIN, Double.NaN));
    assertThat(back.state().monitoringLost()).isFalse();
  }

  @Test
  void everyDefaultProfile_citesStandardsAndMarksDesignDefaults() {
    assertThat(Profiles.ids()).containsExactly("RBC_STORE_EU", "RBC_STORE_US", "RBC_TRANSPORT", "PLT_STORE",
        "FFP_CRYO_EU", "FFP_US", "PLASMA_FRACT_PHEUR", "PLASMA_FRACT_US_CA", "THAWED_PLASMA", "ULT_RBC",
        "VACCINE_2_8_REF");
    Profiles.all().values().forEach(p -> {
      assertThat(p.source()).as(p.id()).contains("standards.md").contains("(D");
      assertThat(p.hasHigh()).as(p.id()).isTrue();
      assertThat(p.rule(AlarmKind.HIGH_TEMPERATURE)).as(p.id()).isPresent();
    });
  }
}
