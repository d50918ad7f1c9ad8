package org.sangfroid.agent.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.calibration.Calibration.Offset;
import org.sangfroid.agent.calibration.Calibration.Point;
import org.sangfroid.agent.calibration.Calibration.TwoPoint;
import org.sangfroid.core.check.InvalidValueException;

class CalibrationTest {
  private static final LocalDate DATE = LocalDate.parse("2026-03-01");
  private static final LocalDate DUE = LocalDate.parse("2027-03-01");

  private static Calibration with(Calibration.Correction c) {
    return new Calibration("LAB-2026-0142", DATE, DUE, c);
  }

  @ParameterizedTest
  @CsvSource({
      "4.125, 4.005",
      "-29.5, -29.62",
      "0.12, 0.0",
      "0.0625, -0.057"})  // -0.0575: halves round up
  void offset_isAddedAndRoundedToOneThousandth(double raw, double corrected) {
    assertThat(with(new Offset(-0.12)).apply(raw)).isEqualTo(corrected);
  }

  @ParameterizedTest
  @CsvSource({
      // ice bath 0 °C read 0.10; boiling point (or a dry-block) 100 °C read 99.80
      "0.10, 0.0",
      "99.80, 100.0",
      "4.10, 4.012",      // slope 100 / 99.7
      "-29.5, -29.689"})
  void twoPoints_correctAlongTheLineThroughThem(double raw, double corrected) {
    TwoPoint line = new TwoPoint(new Point(0.10, 0.00), new Point(99.80, 100.00));

    assertThat(with(line).apply(raw)).isEqualTo(corrected);
  }

  @Test
  void dueAt_isMidnightUtcOfTheDueDate_andOverdueFromThen() {
    Calibration c = with(new Offset(0.1));
    long due = Instant.parse("2027-03-01T00:00:00Z").toEpochMilli();

    assertThat(c.dueAt()).isEqualTo(due);
    assertThat(c.overdueAt(due - 1)).isFalse();
    assertThat(c.overdueAt(due)).isTrue();
  }

  @Test
  void badValues_areRefusedWithFieldValueAndRule() {
    assertThatThrownBy(() -> new Calibration("LAB-1", DUE, DATE, new Offset(0)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("calibration.due [2026-03-01] must be after the calibration date (2027-03-01).");
    assertThatThrownBy(() -> new Calibration("LAB\n1", DATE, DUE, new Offset(0)))
        .hasMessageStartingWith("calibration.certificate [LAB\n1] must be 1 to 64 characters");
    assertThatThrownBy(() -> new Offset(7.5))
        .hasMessage("calibration.offset [7.5] must be from -5 to 5 °C (a larger correction means a faulty probe or"
            + " a typing error).");
    assertThatThrownBy(() -> new Point(4.0, 40.0))
        .hasMessageStartingWith("calibration.points.reference [40.0] must be within 5 °C of the probe's raw value");
    assertThatThrownBy(() -> new TwoPoint(new Point(0.1, 0.0), new Point(0.1, 0.2)))
        .hasMessage("calibration.points [raw 0.1 and 0.1] must have two different raw values (the probe measured at"
            + " two temperatures).");
    assertThatThrownBy(() -> new TwoPoint(new Point(0.0, 0.0), new Point(1.0, 4.0)))
        .hasMessage("calibration.points [raw 0.0 and 1.0] must give a slope from 0.9 to 1.1 (check that raw and"
            + " reference are not swapped or mistyped), found 4.000.");
  }
}
