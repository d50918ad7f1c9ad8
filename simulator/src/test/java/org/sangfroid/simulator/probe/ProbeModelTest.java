package org.sangfroid.simulator.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.wire.Quality;

class ProbeModelTest {
  private static final ProbeParameters GLYCOL =
      new ProbeParameters(ProbeType.GLYCOL, Duration.ofMinutes(10), 0, 0.0001);
  private static final ProbeParameters AIR = GLYCOL.withType(ProbeType.AIR);

  private static void hold(ProbeModel p, double air, Duration d) {
    for (long s = 0; s < d.toSeconds(); s += 10) {
      p.follow(Duration.ofSeconds(10), air, air);
    }
  }

  @Test
  void glycol_stepOfTheAir_closes63PercentInOneLag() {
    ProbeModel p = new ProbeModel(GLYCOL, 4, new Random(1));

    hold(p, 14, Duration.ofMinutes(10));

    assertThat(p.sensed(14, true)).isCloseTo(4 + 10 * (1 - Math.exp(-1)), offset(0.01));
    assertThat(p.read(14, ProbeModel.State.NORMAL).celsius()).isCloseTo(10.32, offset(0.01));
  }

  @Test
  void air_followsTheAirAtOnce() {
    ProbeModel p = new ProbeModel(AIR, 4, new Random(1));

    hold(p, 14, Duration.ofMinutes(1));

    assertThat(p.read(14, ProbeModel.State.NORMAL).celsius()).isCloseTo(14, offset(0.001));
  }

  @Test
  void glycol_outOfItsBottle_readsTheAir() {
    ProbeModel p = new ProbeModel(GLYCOL, 4, new Random(1));
    hold(p, 14, Duration.ofMinutes(1));

    double out = p.read(14, new ProbeModel.State(false, 0, false, Optional.empty())).celsius();

    assertThat(out).isCloseTo(14, offset(0.001));
  }

  @Test
  void read_resolutionAndNoise_roundsToTheResolution() {
    ProbeModel p = new ProbeModel(new ProbeParameters(ProbeType.AIR, Duration.ZERO, 0.2, 0.0625), 4, new Random(3));

    for (int i = 0; i < 100; i++) {
      double v = p.read(4, ProbeModel.State.NORMAL).celsius();
      assertThat(v * 16).isEqualTo(Math.rint(v * 16));
      assertThat(v).isBetween(3.0, 5.0);
    }
  }

  @Test
  void read_drift_addsToWhatItSenses() {
    ProbeModel p = new ProbeModel(AIR, 4, new Random(1));

    assertThat(p.read(4, new ProbeModel.State(true, 1.5, false, Optional.empty())).celsius())
        .isCloseTo(5.5, offset(0.001));
  }

  @Test
  void read_stuck_repeatsTheLastValueWhateverTheAir() {
    ProbeModel p = new ProbeModel(AIR, 4, new Random(1));
    p.read(4, ProbeModel.State.NORMAL);
    ProbeModel.State stuck = new ProbeModel.State(true, 0, true, Optional.empty());

    hold(p, 20, Duration.ofMinutes(5));

    assertThat(p.read(20, stuck).celsius()).isCloseTo(4, offset(0.001));
    assertThat(p.read(25, stuck).celsius()).isCloseTo(4, offset(0.001));
    assertThat(p.read(25, ProbeModel.State.NORMAL).celsius()).as("unstuck").isCloseTo(25, offset(0.001));
  }

  @ParameterizedTest
  @EnumSource(value = Quality.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
  void read_fault_givesTheDriversVerdictAndNoTemperature(Quality fault) {
    ProbeModel p = new ProbeModel(AIR, 4, new Random(1));

    ProbeModel.Result r = p.read(4, new ProbeModel.State(true, 0, false, Optional.of(fault)));

    assertThat(r.quality()).isEqualTo(fault);
    assertThat(r.celsius()).isNaN();
  }

  @Test
  void read_aFault_doesNotShiftTheNoiseOfLaterReadings() {
    ProbeParameters noisy = new ProbeParameters(ProbeType.AIR, Duration.ZERO, 0.3, 0.0001);
    ProbeModel a = new ProbeModel(noisy, 4, new Random(5));
    ProbeModel b = new ProbeModel(noisy, 4, new Random(5));
    a.read(4, ProbeModel.State.NORMAL);
    b.read(4, new ProbeModel.State(true, 0, false, Optional.of(Quality.DISCONNECTED)));

    assertThat(a.read(4, ProbeModel.State.NORMAL)).isEqualTo(b.read(4, ProbeModel.State.NORMAL));
  }
}
