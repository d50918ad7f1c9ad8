package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Long> sleeps = new ArrayList<>();
  private final Pacer pacer = Pacer.atSpeed(600, now::get, n -> {
    sleeps.add(n);
    now.addAndGet(n);
  });

  @Test
  void atSpeed_simulatedTimeAhead_waitsUntilRealTimeCatchesUp() {
    pacer.pace(Duration.ZERO);
    pacer.pace(Duration.ofMinutes(10)); // 10 min at 600x: 1 s of real time

    assertThat(sleeps).containsExactly(1_000_000_000L);
  }

  @Test
  void atSpeed_realTimeAlreadyBehind_doesNotWait() {
    pacer.pace(Duration.ZERO);
    now.addAndGet(5_000_000_000L); // a slow step: 5 s

    pacer.pace(Duration.ofMinutes(10));

    assertThat(sleeps).isEmpty();
  }

  @Test
  void atSpeed_notPositive_throws() {
    assertThatThrownBy(() -> Pacer.atSpeed(0, now::get, n -> { }))
        .hasMessage("speed [0.0] must be a positive number.");
  }
}
