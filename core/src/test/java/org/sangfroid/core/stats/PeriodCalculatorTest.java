package org.sangfroid.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Sample;

class PeriodCalculatorTest {
  private static final long T0 = 1_763_900_000_000L;
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;
  private static final Duration HOLD = Duration.ofMinutes(10);

  /** Readings from T0, {@code stepMinutes} apart: {@code v*n} repeats, {@code x} is invalid, {@code -} is no reading. */
  private static List<Sample> readings(long stepMinutes, String script) {
    List<Sample> out = new ArrayList<>();
    long t = T0;
    for (String token : script.trim().split("\\s+")) {
      String[] parts = token.split("\\*");
      int times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
      for (int i = 0; i < times; i++) {
        if (parts[0].equals("x")) {
          out.add(Sample.fault(t));
        } else if (!parts[0].equals("-")) {
          out.add(Sample.of(t, Double.parseDouble(parts[0])));
        }
        t += stepMinutes * MIN;
      }
    }
    return out;
  }

  private static PeriodStats fridge(long stepMinutes, String script, long periodMinutes) {
    return PeriodCalculator.compute(readings(stepMinutes, script), T0, T0 + periodMinutes * MIN, 2.0, 6.0, HOLD,
        PeriodCalculator.DEFAULT_DH_OVER_R);
  }

  /**
   * Hand-computed with T = 10000 / -ln(Σ tᵢ·e^(-10000/Tᵢ) / Σ tᵢ), Tᵢ = °C + 273.15. The first two
   * are standards.md §5's test vectors; 12 h at 0 °C and 12 h at 10 °C:
   * 10000 / -ln((e^(-10000/273.15) + e^(-10000/283.15)) / 2) = 279.5827 K = 6.4327 °C.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      24 h at 4 °C: MKT is 4 °C                 | 4*144                  | 4.0     | 4.0     | 0
      23 h at 4 °C and 1 h at 20 °C             | 4*138 20*6             | 5.7675  | 4.6667  | 60
      12 h at 0 °C and 12 h at 10 °C            | 0*72 10*72             | 6.4327  | 5.0     | 720
      18 h at 2 °C and 6 h at 8 °C              | 2*108 8*36             | 3.9591  | 3.5     | 360
      """)
  void meanKineticTemperature_handComputed(String scenario, String script, double mkt, double mean,
      long aboveMinutes) {
    PeriodStats s = fridge(10, script, 24 * 60);
    assertThat(s.coveredMillis()).as(scenario).isEqualTo(24 * HOUR);
    assertThat(s.meanKinetic().getAsDouble()).as(scenario).isCloseTo(mkt, within(0.0001));
    assertThat(s.mean().getAsDouble()).as(scenario).isCloseTo(mean, within(0.0001));
    assertThat(s.aboveMillis()).as(scenario).isEqualTo(aboveMinutes * MIN);
  }

  @Test
  void freezerTemperatures_mktStaysExact() {
    // -20 °C and -30 °C, half each: 10000 / -ln((e^(-10000/253.15) + e^(-10000/243.15)) / 2) - 273.15
    PeriodStats s = PeriodCalculator.compute(readings(60, "-20*12 -30*12"), T0, T0 + 24 * HOUR,
        Double.NEGATIVE_INFINITY, -18, Duration.ofHours(1), PeriodCalculator.DEFAULT_DH_OVER_R);
    assertThat(s.meanKinetic().getAsDouble()).isCloseTo(-23.2475, within(0.0001));
    assertThat(s.outOfRangeMillis()).isZero();
  }

  /** Each row: readings every 10 min over a 60 min period (limits +2..+6 °C, a reading stands for 10 min at most). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # scenario                                 | readings        | covered | readings | invalid | min | max | below | above | excursions
      all in range                               | 4*6             | 60      | 6        | 0       | 4   | 4   | 0     | 0     | 0
      a gap is not covered                       | 4 4 - - 4 4     | 40      | 4        | 0       | 4   | 4   | 0     | 0     | 0
      invalid readings stand for nothing         | 4 x x 4 4 4     | 40      | 4        | 2       | 4   | 4   | 0     | 0     | 0
      above and below: three excursions          | 4 7 4 1 4 7     | 60      | 6        | 0       | 1   | 7   | 10    | 20    | 3
      a gap does not split an excursion          | 7 - 7 x 7 4     | 40      | 4        | 1       | 4   | 7   | 0     | 30    | 1
      the limits themselves are in range         | 6 6 2 2 6 2     | 60      | 6        | 0       | 2   | 6   | 0     | 0     | 0
      one reading                                | 5               | 10      | 1        | 0       | 5   | 5   | 0     | 0     | 0
      """)
  void coverageAndTimeOutOfRange(String scenario, String script, long covered, int readings, int invalid,
      double min, double max, long below, long above, int excursions) {
    PeriodStats s = fridge(10, script, 60);
    assertThat(s.coveredMillis()).as(scenario).isEqualTo(covered * MIN);
    assertThat(s.uncoveredMillis()).as(scenario).isEqualTo((60 - covered) * MIN);
    assertThat(s.readings()).as(scenario).isEqualTo(readings);
    assertThat(s.invalidReadings()).as(scenario).isEqualTo(invalid);
    assertThat(s.min()).as(scenario).hasValue(min);
    assertThat(s.max()).as(scenario).hasValue(max);
    assertThat(s.belowMillis()).as(scenario).isEqualTo(below * MIN);
    assertThat(s.aboveMillis()).as(scenario).isEqualTo(above * MIN);
    assertThat(s.excursions()).as(scenario).isEqualTo(excursions);
  }

  @Test
  void oneReading_isItsOwnMeanAndMkt() {
    PeriodStats s = fridge(10, "5", 60);
    assertThat(s.mean()).hasValue(5.0);
    assertThat(s.meanKinetic().getAsDouble()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void noData_coversNothing_andReportsNoTemperature() {
    PeriodStats s = fridge(10, "x x", 60);
    assertThat(s.coveredMillis()).isZero();
    assertThat(s.uncoveredMillis()).isEqualTo(60 * MIN);
    assertThat(s.invalidReadings()).isEqualTo(2);
    assertThat(List.of(s.min(), s.max(), s.mean(), s.meanKinetic())).containsOnly(OptionalDouble.empty());
    assertThat(PeriodCalculator.compute(List.of(), T0, T0 + HOUR, Profiles.byId("RBC_STORE_EU").orElseThrow())
        .coveredMillis()).isZero();
  }

  @Test
  void aReadingBeforeThePeriod_standsForItsStart_andAnExcursionGoingOnCounts() {
    List<Sample> samples = List.of(Sample.of(T0 - 30 * MIN, 4), Sample.of(T0 - 5 * MIN, 7), Sample.of(T0 + 5 * MIN, 4),
        Sample.of(T0 + 60 * MIN, 9));
    PeriodStats s = PeriodCalculator.compute(samples, T0, T0 + 60 * MIN, 2, 6, HOLD,
        PeriodCalculator.DEFAULT_DH_OVER_R);
    assertThat(s.aboveMillis()).isEqualTo(5 * MIN);
    assertThat(s.coveredMillis()).isEqualTo(15 * MIN);
    assertThat(s.excursions()).isEqualTo(1);
    assertThat(s.readings()).as("the 7 °C carried in and the 4 °C; not the 4 °C long before, nor 9 °C at the end")
        .isEqualTo(2);
    assertThat(s.max()).hasValue(7.0);
  }

  @Test
  void profile_givesLimitsAndHold() {
    // RBC_STORE_EU: +2..+6 °C; a reading stands for the monitoring-lost time, 10 min.
    PeriodStats s = PeriodCalculator.compute(readings(30, "7 4"), T0, T0 + 60 * MIN,
        Profiles.byId("RBC_STORE_EU").orElseThrow());
    assertThat(s.coveredMillis()).isEqualTo(20 * MIN);
    assertThat(s.aboveMillis()).isEqualTo(10 * MIN);
  }

  @Test
  void samplesInAnyOrder_giveTheSameStatistics() {
    List<Sample> ordered = readings(10, "4 7 x 4 1 4");
    List<Sample> shuffled = new ArrayList<>(ordered);
    Collections.reverse(shuffled);
    assertThat(PeriodCalculator.compute(shuffled, T0, T0 + HOUR, 2, 6, HOLD, 10_000))
        .isEqualTo(PeriodCalculator.compute(ordered, T0, T0 + HOUR, 2, 6, HOLD, 10_000));
  }

  @Test
  void badPeriodOrParameters_areRejectedWithWhatIsWrong() {
    assertThatThrownBy(() -> PeriodCalculator.compute(List.of(), T0, T0, 2, 6, HOLD, 10_000))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("from [" + T0 + "] must be before to (" + T0 + ").");
    assertThatThrownBy(() -> PeriodCalculator.compute(List.of(), T0, T0 + 1, 2, 6, Duration.ZERO, 10_000))
        .isInstanceOf(InvalidValueException.class).hasMessage("hold [PT0S] must be positive.");
    assertThatThrownBy(() -> PeriodCalculator.compute(List.of(), T0, T0 + 1, 6, 2, HOLD, 10_000))
        .isInstanceOf(InvalidValueException.class).hasMessage("low [6.0] must be below high (2.0).");
  }
}
