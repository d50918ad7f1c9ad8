package org.sangfroid.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.Quality;

class SensorReadingTest {
  @Test
  void new_okWithoutFiniteValue_throws() {
    assertThatThrownBy(() -> SensorReading.ok(Double.NaN))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("celsius [NaN] must be a finite number.");
  }

  @Test
  void new_faultWithValue_valueDropped() {
    assertThat(new SensorReading(21.0, Quality.CRC_ERROR).celsius()).isNaN();
  }
}
