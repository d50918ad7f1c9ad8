package org.sangfroid.simulator.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sangfroid.core.check.InvalidValueException;

/** The presets against the storage ranges of shared/standards.md §1, on simulated time. */
class ThermalModelTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final int DAY = 24 * 3600;

  /** Readings of {@code seconds} one-second steps. */
  private static double[] run(ThermalModel model, int seconds, IntPredicate doorOpenAt, IntPredicate worksAt) {
    double[] out = new double[seconds];
    for (int s = 0; s < seconds; s++) {
      model.step(SECOND, doorOpenAt.test(s), worksAt.test(s));
      out[s] = model.reading();
    }
    return out;
  }

  private static double[] closed(ThermalModel model, int seconds) {
    return run(model, seconds, s -> false, s -> true);
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void fridge_doorClosed24h_staysWithin2To6AndCycles(long seed) {
    ThermalModel fridge = new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(seed));

    double[] readings = closed(fridge, DAY);

    assertThat(min(readings)).isGreaterThanOrEqualTo(2.0);
    assertThat(max(readings)).isLessThanOrEqualTo(6.0);
    assertThat(min(readings)).as("compressor pulls it near +3").isLessThan(3.2);
    assertThat(max(readings)).as("it warms near +5 before the compressor starts").isGreaterThan(4.8);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void freezer_doorClosed24h_staysAtOrBelowMinus25(long seed) {
    ThermalModel freezer = new ThermalModel(UnitKind.FREEZER.parameters(), 22, new Random(seed));

    double[] readings = closed(freezer, DAY);

    assertThat(max(readings)).isLessThanOrEqualTo(-25.0);
    assertThat(min(readings)).isGreaterThan(-32.0);
  }

  @Test
  void freezer_compressorStop_warmsPastMinus25WithinTwoHours() {
    ThermalModel freezer = new ThermalModel(UnitKind.FREEZER.parameters(), 22, new Random(7));
    closed(freezer, 3600);
    double before = freezer.temperature();

    double[] readings = run(freezer, 2 * 3600, s -> false, s -> false);

    assertThat(freezer.temperature()).isGreaterThan(before + 5);
    assertThat(max(readings)).isGreaterThan(-25.0);
    assertThat(readings[600]).as("no excursion in the first 10 minutes").isLessThanOrEqualTo(-25.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {15, 18, 22})
  void incubator_roomAtOrBelowSetPoint_staysWithin20To24(double ambient) {
    ThermalModel incubator = new ThermalModel(UnitKind.INCUBATOR.parameters(), ambient, new Random(3));

    double[] readings = closed(incubator, DAY);

    assertThat(min(readings)).isGreaterThanOrEqualTo(20.0);
    assertThat(max(readings)).isLessThanOrEqualTo(24.0);
  }

  @Test
  void incubator_heaterStopInColdRoom_fallsBelow20() {
    ThermalModel incubator = new ThermalModel(UnitKind.INCUBATOR.parameters(), 15, new Random(3));

    double[] readings = run(incubator, 2 * 3600, s -> false, s -> false);

    assertThat(min(readings)).isLessThan(20.0);
  }

  @Test
  void reading_anyStep_isAMultipleOfTheDs18b20Resolution() {
    ThermalModel fridge = new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(5));

    for (double r : closed(fridge, 600)) {
      assertThat(r * 16).isEqualTo(Math.rint(r * 16));
    }
  }

  @Test
  void step_oneLongStepOrManyShortOnes_reachSameTemperatureWithoutThermostatSwitch() {
    ThermalParameters quiet = UnitKind.FREEZER.parameters().withNoise(0);
    ThermalModel a = new ThermalModel(quiet, 22, new Random(9));
    ThermalModel b = new ThermalModel(quiet, 22, new Random(9));

    a.step(Duration.ofSeconds(60), false, false);
    for (int i = 0; i < 60; i++) {
      b.step(SECOND, false, false);
    }

    assertThat(a.temperature()).isCloseTo(b.temperature(), offset(1e-9));
  }

  @Test
  void new_sameSeed_sameReadings() {
    double[] first = closed(new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(11)), 3600);
    double[] second = closed(new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(11)), 3600);
    double[] other = closed(new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(12)), 3600);

    assertThat(second).containsExactly(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void step_zeroDuration_throws() {
    ThermalModel fridge = new ThermalModel(UnitKind.FRIDGE.parameters(), 22, new Random(1));

    assertThatThrownBy(() -> fridge.step(Duration.ZERO, false, true))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("dt [PT0S] must be positive.");
  }

  @Test
  void parameters_negativeHysteresis_throws() {
    assertThatThrownBy(
            () ->
                new ThermalParameters(
                    4, -1, Duration.ofHours(1), Duration.ofMinutes(5), Actuator.COMPRESSOR, 0.01, 0, 0.0625))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("hysteresis [-1.0] must be above 0 °C.");
  }

  @Test
  void parameters_fridgePreset_switchesCompressorAt5AndOffAt3() {
    assertThat(UnitKind.FRIDGE.parameters().switchOnAt()).isEqualTo(5.0);
    assertThat(UnitKind.FRIDGE.parameters().switchOffAt()).isEqualTo(3.0);
    assertThat(UnitKind.INCUBATOR.parameters().switchOnAt()).isEqualTo(21.0);
    assertThat(UnitKind.INCUBATOR.parameters().switchOffAt()).isEqualTo(23.0);
  }
}
