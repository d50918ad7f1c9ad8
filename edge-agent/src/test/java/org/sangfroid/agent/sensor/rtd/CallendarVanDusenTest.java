package org.sangfroid.agent.sensor.rtd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;

class CallendarVanDusenTest {
  private static final CallendarVanDusen PT100 = CallendarVanDusen.PT100;
  private static final CallendarVanDusen PT1000 = CallendarVanDusen.PT1000;

  /**
   * PT100 resistances as printed (to 0.01 Ω) in IEC 60751 tables; the same rows appear in the
   * MAX31865 datasheet, table 9. 18.52, 100.00 and 138.51 are standards.md §6's [C] values.
   */
  private static final String TABLE = """
      -200 | 18.52
      -175 | 29.22
      -150 | 39.72
      -125 | 50.06
      -100 | 60.26
       -75 | 70.33
       -50 | 80.31
       -40 | 84.27
       -30 | 88.22
       -20 | 92.16
       -10 | 96.09
         0 | 100.00
        10 | 103.90
        20 | 107.79
        30 | 111.67
        40 | 115.54
        50 | 119.40
        60 | 123.24
        70 | 127.08
        80 | 130.90
        90 | 134.71
       100 | 138.51
      """;

  @ParameterizedTest(name = "{0} °C")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void resistance_pt100TableTemperature_matchesTableToItsLastDigit(double celsius, double ohms) {
    assertThat(PT100.resistance(celsius)).isCloseTo(ohms, within(0.005 + 1e-9));
  }

  @ParameterizedTest(name = "{0} °C")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void resistance_pt1000_isTenTimesPt100(double celsius, double ohms) {
    assertThat(PT1000.resistance(celsius)).isCloseTo(10 * PT100.resistance(celsius), within(1e-9));
    assertThat(PT1000.resistance(celsius)).isCloseTo(10 * ohms, within(0.05 + 1e-9));
  }

  @ParameterizedTest(name = "{1} Ω")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void temperature_pt100TableResistance_givesTableTemperature(double celsius, double ohms) {
    // The table rounds to 0.01 Ω, which is up to 0.013 °C at the flattest part of the curve.
    assertThat(PT100.temperature(ohms)).isCloseTo(celsius, within(0.015));
  }

  @ParameterizedTest(name = "{1} Ω × 10")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void temperature_pt1000TableResistance_givesTableTemperature(double celsius, double ohms) {
    assertThat(PT1000.temperature(10 * ohms)).isCloseTo(celsius, within(0.015));
  }

  @ParameterizedTest(name = "{0} °C")
  @CsvSource(delimiter = '|', textBlock = """
      -200 | 18.5201
       -80 | 68.3254
       -30 | 88.2217
       -25 | 90.1923
         4 | 101.5624
       850 | 390.4811
      """)
  void resistance_coldChainPoints_includeTheCTermBelowZero(double celsius, double ohms) {
    assertThat(PT100.resistance(celsius)).isCloseTo(ohms, within(0.00005));
  }

  @Test
  void resistance_minus80_differsFromTheQuadraticByTheCTerm() {
    double quadratic = 100 * (1 + CallendarVanDusen.A * -80 + CallendarVanDusen.B * 6400);

    // Without C, a −80 °C freezer would read about 0.1 °C warm: 0.0386 Ω at 0.39 Ω/°C.
    assertThat(quadratic - PT100.resistance(-80)).isCloseTo(0.0386, within(0.0001));
    assertThat(PT100.temperature(quadratic)).isCloseTo(-79.90, within(0.01));
  }

  @Test
  void temperature_roundTripOverTheWholeRange_convergesWellBelowAThousandthOfADegree() {
    DoubleStream.iterate(-200, t -> t <= 850, t -> t + 0.25).forEach(t -> {
      assertThat(PT100.temperature(PT100.resistance(t))).as("PT100 at %s °C", t).isCloseTo(t, within(1e-6));
      assertThat(PT1000.temperature(PT1000.resistance(t))).as("PT1000 at %s °C", t).isCloseTo(t, within(1e-6));
    });
  }

  @Test
  void temperature_roundTripFromOhms_givesTheOhmsBack() {
    DoubleStream.iterate(18.53, r -> r <= 390.48, r -> r + 0.37).forEach(r ->
        assertThat(PT100.resistance(PT100.temperature(r))).as("%s Ω", r).isCloseTo(r, within(1e-6)));
  }

  @Test
  void temperature_exactlyR0_isZero() {
    assertThat(PT100.temperature(100.0)).isZero();
    assertThat(PT1000.temperature(1000.0)).isZero();
  }

  @Test
  void ends_ofTheCurve_areTheIec60751RangeEnds() {
    // The printed end values convert; half a printed digit further does not.
    assertThat(PT100.minOhms()).isCloseTo(18.5151, within(0.0001));
    assertThat(PT100.maxOhms()).isCloseTo(390.4861, within(0.0001));
    assertThat(PT100.covers(18.52)).isTrue();
    assertThat(PT100.covers(18.51)).isFalse();
    assertThat(PT100.covers(390.48)).isTrue();
    assertThat(PT100.covers(390.49)).isFalse();
    assertThat(PT1000.covers(185.2)).isTrue();
    assertThat(PT1000.covers(185.1)).isFalse();
    assertThat(PT1000.covers(3904.8)).isTrue();
    assertThat(PT1000.covers(3904.9)).isFalse();
    assertThat(PT100.temperature(18.52)).isCloseTo(-200.0, within(0.001));
    assertThat(PT100.temperature(390.48)).isCloseTo(850.0, within(0.01));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -1        | "ohms [-1.0] must be a positive number."
      0         | "ohms [0.0] must be a positive number."
      NaN       | "ohms [NaN] must be a positive number."
      Infinity  | "ohms [Infinity] must be a positive number."
      -Infinity | "ohms [-Infinity] must be a positive number."
      5         | "ohms [5.0] must be from 18.52 to 390.48 (-200 to 850 °C for a PT100)."
      18.51     | "ohms [18.51] must be from 18.52 to 390.48 (-200 to 850 °C for a PT100)."
      390.49    | "ohms [390.49] must be from 18.52 to 390.48 (-200 to 850 °C for a PT100)."
      400       | "ohms [400.0] must be from 18.52 to 390.48 (-200 to 850 °C for a PT100)."
      """)
  void temperature_nonsenseOhms_throwsWithTheRule(double ohms, String message) {
    assertThatThrownBy(() -> PT100.temperature(ohms))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void temperature_pt100OhmsOnAPt1000_throwsNamingTheProbe() {
    assertThatThrownBy(() -> PT1000.temperature(100))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("ohms [100.0] must be from 185.20 to 3904.81 (-200 to 850 °C for a PT1000).");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -200.001 | "celsius [-200.001] must be from -200 to 850 °C (the IEC 60751 range)."
      850.001  | "celsius [850.001] must be from -200 to 850 °C (the IEC 60751 range)."
      -273.15  | "celsius [-273.15] must be from -200 to 850 °C (the IEC 60751 range)."
      NaN      | "celsius [NaN] must be from -200 to 850 °C (the IEC 60751 range)."
      Infinity | "celsius [Infinity] must be from -200 to 850 °C (the IEC 60751 range)."
      """)
  void resistance_temperatureOutsideTheStandard_throwsWithTheRule(double celsius, String message) {
    assertThatThrownBy(() -> PT100.resistance(celsius))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "r0 {0}")
  @CsvSource({"0", "-100", "NaN", "Infinity"})
  void new_r0NotAPositiveNumber_throws(double r0) {
    assertThatThrownBy(() -> new CallendarVanDusen(r0))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("r0 [" + r0 + "] must be a positive number of ohms.");
  }

  @ParameterizedTest(name = "r0 {0}")
  @CsvSource({"100, PT100", "1000, PT1000"})
  void forR0_supportedProbe_givesItsCurve(int r0, String name) {
    assertThat(CallendarVanDusen.forR0(r0).name()).isEqualTo(name);
    assertThat(CallendarVanDusen.forR0(r0).r0()).isEqualTo(r0);
  }

  @ParameterizedTest(name = "r0 {0}")
  @CsvSource({"500", "0", "10"})
  void forR0_otherProbe_throws(int r0) {
    assertThatThrownBy(() -> CallendarVanDusen.forR0(r0))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("r0 [" + r0 + "] must be 100 (PT100) or 1000 (PT1000).");
  }
}
