package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      first failure           | PT10S | PT10M | 1  | 0.5     | 10000
      doubles                 | PT10S | PT10M | 2  | 0.5     | 20000
      doubles again           | PT10S | PT10M | 3  | 0.5     | 40000
      capped at max           | PT10S | PT10M | 7  | 0.5     | 600000
      stays at max            | PT10S | PT10M | 60 | 0.5     | 600000
      jitter low end -20 %    | PT10S | PT10M | 1  | 0.0     | 8000
      jitter high end +20 %   | PT10S | PT10M | 1  | 0.99999 | 12000
      jitter applies at max   | PT10S | PT10M | 9  | 0.0     | 480000
      first equals max        | PT1S  | PT1S  | 5  | 0.5     | 1000
      """)
  void delay_afterFailures_doublesFromFirstUpToMaxWithJitter(String why, Duration first, Duration max, int failures,
      double random, long expectedMillis) {
    Backoff b = new Backoff(first, max, Duration.ofHours(24), Backoff.DEFAULT_JITTER);

    assertThat(b.delay(failures, random)).isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      zero first     | PT0S  | PT1M | PT1H  | 0.2 | first [PT0S] must be positive.
      max below first| PT1M  | PT1S | PT1H  | 0.2 | max [PT1S] must be at least first.
      negative giveUp| PT1S  | PT1M | -PT1H | 0.2 | giveUpAfter [PT-1H] must not be negative.
      jitter of 1    | PT1S  | PT1M | PT1H  | 1.0 | jitter [1.0] must be from 0 to less than 1.
      """)
  void new_badValue_throws(String why, Duration first, Duration max, Duration giveUp, double jitter, String message) {
    assertThatThrownBy(() -> new Backoff(first, max, giveUp, jitter)).hasMessage(message);
  }

  @Test
  void delay_zeroFailures_throws() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1), 0);

    assertThatThrownBy(() -> b.delay(0, 0.5)).hasMessage("failures [0] must be at least 1.");
  }
}
