package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

class SimulatedUnitTest {
  private static final String FILE = """
      name: Unit
      duration: 1d
      seed: 3
      sites:
        - id: casa-01
          agents:
            - id: agent-01
              units:
                - {id: fridge-1, kind: fridge, profile: RBC_STORE_EU}
                - {id: freezer-1, kind: freezer, profile: FFP_CRYO_EU}
      """;

  private static SimulatedUnit unit(String id, String events) {
    Scenario s = ScenarioFile.parse("s.yaml", events.isEmpty() ? FILE : FILE + "events:\n" + events);
    return new SimulatedUnit(s.unit(id).orElseThrow(), s.events(), s.seed());
  }

  private static List<Double> readings(SimulatedUnit u, int minutes) {
    List<Double> out = new ArrayList<>();
    for (int m = 1; m <= minutes; m++) {
      u.advanceTo(Duration.ofMinutes(m));
      out.add(u.read().get(0).celsius());
    }
    return out;
  }

  @Test
  void sameSeedAndTimeline_sameReadings_andAnotherUnitDoesNotChangeThem() {
    SimulatedUnit a = unit("fridge-1", "  - {type: door-open, unit: fridge-1, at: 1h, duration: 10m}\n");
    SimulatedUnit b = unit("fridge-1", "  - {type: door-open, unit: fridge-1, at: 1h, duration: 10m}\n"
        + "  - {type: power-cut, unit: freezer-1, at: 30m, duration: 1h}\n");

    assertThat(readings(b, 180)).containsExactlyElementsOf(readings(a, 180));
  }

  @Test
  void doorOpen_warmsTheAir_andIsAnInputWhileOpen() {
    SimulatedUnit u = unit("fridge-1", "  - {type: door-open, unit: fridge-1, at: 1h, duration: 10m}\n");
    u.advanceTo(Duration.ofHours(1));
    double before = u.air();

    u.advanceTo(Duration.ofMinutes(70));

    assertThat(u.air()).isGreaterThan(before + 8);
    assertThat(u.inputActive(InputChange.Input.DOOR_OPEN, Duration.ofMinutes(65))).isTrue();
    assertThat(u.inputActive(InputChange.Input.DOOR_OPEN, Duration.ofMinutes(70))).isFalse();
    assertThat(u.inputEdges()).containsExactly(Duration.ofHours(1), Duration.ofMinutes(70));
  }

  @Test
  void powerCut_stopsTheCompressor_andIsAnInput() {
    SimulatedUnit cut = unit("freezer-1", "  - {type: power-cut, site: casa-01, at: 1h, duration: 2h}\n");

    cut.advanceTo(Duration.ofHours(3));

    assertThat(cut.air()).isGreaterThan(-25);
    assertThat(cut.inputActive(InputChange.Input.POWER_LOST, Duration.ofHours(2))).isTrue();
  }

  @Test
  void probeFault_readsTheFaultNotATemperature_andCountsAsAnExcursion() {
    SimulatedUnit u = unit("fridge-1", "  - {type: probe-power-on-reset, probe: fridge-1-probe, at: 10m, duration: 5m}\n");

    u.advanceTo(Duration.ofMinutes(12));
    SimulatedUnit.Reading r = u.read().get(0);

    assertThat(r.quality()).isEqualTo(Quality.POWER_ON_RESET);
    assertThat(u.excursion(r)).isTrue();
  }

  @Test
  void excursion_readingBeyondAProfileLimit_isOne_andInRangeIsNot() {
    SimulatedUnit u = unit("fridge-1", "");

    assertThat(u.excursion(new SimulatedUnit.Reading("p", 4.0, Quality.OK))).isFalse();
    assertThat(u.excursion(new SimulatedUnit.Reading("p", 5.6, Quality.OK))).as("beyond the warning").isTrue();
  }

  @Test
  void freezer_defrostsEvery8Hours_withoutAlarmingItsGlycolProbe() {
    SimulatedUnit u = unit("freezer-1", "");

    List<Double> day = readings(u, 24 * 60);

    assertThat(day.stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .as("the -27 °C warning of FFP_CRYO_EU").isLessThan(-27);
  }
}
