package org.sangfroid.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private static List<Long> delays(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.next().toMillis());
    }
    return out;
  }

  @Test
  void next_noJitter_doublesFromOneSecondUpToSixty() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);

    assertThat(delays(b, 9)).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
  }

  @ParameterizedTest(name = "random {0} -> {1} ms")
  @CsvSource({"0.0, 1000", "0.5, 1125", "0.999, 1249"})
  void next_jitter_addsUpToAQuarter(double random, long expected) {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> random);

    assertThat(b.next().toMillis()).isEqualTo(expected);
  }

  @Test
  void reset_afterFailures_startsAgainFromInitial() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
    delays(b, 5);

    b.reset();

    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void next_manyFailures_staysAtMaxWithoutOverflow() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999);

    List<Long> last = delays(b, 1000).subList(990, 1000);

    assertThat(last).allSatisfy(d -> assertThat(d).isBetween(60_000L, 75_000L));
  }
}
