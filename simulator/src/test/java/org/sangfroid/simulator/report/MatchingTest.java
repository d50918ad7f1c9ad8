package org.sangfroid.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

class MatchingTest {
  private static final Scenario BASE = ScenarioFile.parse("s.yaml", """
      name: Matching
      duration: 1d
      sites:
        - id: casa-01
          agents:
            - id: agent-01
              units:
                - {id: fridge-1, kind: fridge, profile: RBC_STORE_EU}
      """);
  private static final Instant T0 = BASE.start();

  private static Scenario expecting(Set<AlarmKind> ignored, Scenario.Expectation... x) {
    Scenario s = BASE.withExpected(List.of(x));
    return new Scenario(s.name(), s.description(), s.seed(), s.start(), s.duration(), s.step(), s.tick(), s.ambient(),
        s.sites(), s.events(), s.expected(), s.quiet(), ignored);
  }

  private static Scenario.Expectation expect(AlarmKind kind, int startMinutes, int toleranceMinutes) {
    return new Scenario.Expectation("fridge-1", kind, Duration.ofMinutes(startMinutes),
        Duration.ofMinutes(toleranceMinutes));
  }

  private static RaisedAlarm raised(long id, AlarmKind kind, int startMinutes, int raisedMinutes) {
    return new RaisedAlarm(id, "fridge-1", kind, T0.plusSeconds(60L * startMinutes),
        T0.plusSeconds(60L * raisedMinutes), Optional.empty(), OptionalDouble.empty(), false);
  }

  @Test
  void of_alarmWithinTolerance_isMatchedWithItsDetectionDelay() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.HIGH_TEMPERATURE, 60, 5)),
        List.of(raised(1, AlarmKind.HIGH_TEMPERATURE, 63, 68)), true);

    assertThat(m.matched()).singleElement().satisfies(x -> {
      assertThat(x.startError()).isEqualTo(Duration.ofMinutes(3));
      assertThat(x.detectionDelay()).isEqualTo(Duration.ofMinutes(8));
    });
    assertThat(m.alarmsAsExpected()).isTrue();
  }

  @Test
  void of_alarmOutsideTolerance_isMissingAndUnexpected() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.HIGH_TEMPERATURE, 60, 5)),
        List.of(raised(1, AlarmKind.HIGH_TEMPERATURE, 66, 71)), true);

    assertThat(m.missing()).hasSize(1);
    assertThat(m.unexpected()).extracting(RaisedAlarm::id).containsExactly(1L);
    assertThat(m.alarmsAsExpected()).isFalse();
  }

  @Test
  void of_twoExpectationsOfOneKind_eachTakesTheClosestAlarm() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.HIGH_TEMPERATURE, 60, 30),
        expect(AlarmKind.HIGH_TEMPERATURE, 80, 30)),
        List.of(raised(2, AlarmKind.HIGH_TEMPERATURE, 79, 84), raised(1, AlarmKind.HIGH_TEMPERATURE, 61, 66)), true);

    assertThat(m.matched()).extracting(x -> x.raised().id()).containsExactly(1L, 2L);
  }

  @Test
  void of_otherKindOrUnit_doesNotMatch() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.HIGH_TEMPERATURE, 60, 5)),
        List.of(raised(1, AlarmKind.HIGH_WARNING, 60, 65)), true);

    assertThat(m.missing()).hasSize(1);
    assertThat(m.unexpected()).hasSize(1);
  }

  @Test
  void of_ignoredKind_isNeitherUnexpectedNorAFailure() {
    Matching m = Matching.of(expecting(Set.of(AlarmKind.HIGH_WARNING)),
        List.of(raised(1, AlarmKind.HIGH_WARNING, 60, 65)), true);

    assertThat(m.ignored()).hasSize(1);
    assertThat(m.alarmsAsExpected()).isTrue();
  }

  @Test
  void of_eventAlarmWhileTheGatewayIgnoresEvents_isPendingNotMissing() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.DOOR_OPEN, 60, 1),
        expect(AlarmKind.HIGH_TEMPERATURE, 60, 5)), List.of(), false);

    assertThat(m.pending()).extracting(Scenario.Expectation::kind).containsExactly(AlarmKind.DOOR_OPEN);
    assertThat(m.missing()).extracting(Scenario.Expectation::kind).containsExactly(AlarmKind.HIGH_TEMPERATURE);
  }

  @Test
  void of_eventAlarmMissingWhileTheGatewayHandlesEvents_isMissing() {
    Matching m = Matching.of(expecting(Set.of(), expect(AlarmKind.DOOR_OPEN, 60, 1)), List.of(), true);

    assertThat(m.missing()).hasSize(1);
    assertThat(m.pending()).isEmpty();
  }
}
