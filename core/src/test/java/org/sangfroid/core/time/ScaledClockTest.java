package org.sangfroid.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScaledClockTest {
  @Test
  void runsSpeedTimesFasterFromStart() {
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    Instant start = Instant.parse("2026-11-23T08:00:00Z");
    ScaledClock clock = ScaledClock.start(start, 60, nanos::get);
    assertThat(clock.instant()).isEqualTo(start);
    nanos.addAndGet(1_000_000_000L);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-23T08:01:00Z"));
    assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
  }

  @Test
  void nonPositiveSpeed_isRejected() {
    assertThatThrownBy(() -> ScaledClock.start(Instant.EPOCH, 0)).hasMessage("speed [0.0] must be a positive number.");
  }
}
