package org.sangfroid.simulator.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;

class FailureTest {

  @ParameterizedTest
  @CsvSource({
    "59,  false",
    "60,  true",
    "659, true",
    "660, false",
  })
  void activeAt_withDuration_fromAtInclusiveToEndExclusive(long elapsedSeconds, boolean active) {
    Failure f = Failure.during(FailureKind.DOOR_OPEN, Duration.ofSeconds(60), Duration.ofMinutes(10));

    assertThat(f.activeAt(Duration.ofSeconds(elapsedSeconds))).isEqualTo(active);
  }

  @Test
  void activeAt_withoutDuration_lastsUntilTheEnd() {
    Failure f = Failure.from(FailureKind.COMPRESSOR_STOP, Duration.ofMinutes(1));

    assertThat(f.activeAt(Duration.ofDays(3650))).isTrue();
  }

  @Test
  void new_zeroDuration_throws() {
    assertThatThrownBy(
            () -> new Failure(FailureKind.DOOR_OPEN, Duration.ZERO, Optional.of(Duration.ZERO)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("duration [PT0S] must be positive.");
  }

  @Test
  void fromConfigName_eachKind_roundTrips() {
    for (FailureKind kind : FailureKind.values()) {
      assertThat(FailureKind.fromConfigName(kind.configName())).contains(kind);
    }
    assertThat(FailureKind.fromConfigName("door_open")).isEmpty();
  }
}
