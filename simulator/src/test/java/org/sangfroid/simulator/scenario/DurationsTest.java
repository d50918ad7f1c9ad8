package org.sangfroid.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
      "90s, PT1M30S, 1m30s",
      "6h10m, PT6H10M, 6h10m",
      "2d3h, PT51H, 2d3h",
      "250ms, PT0.25S, 250ms",
      "PT5M, PT5M, 5m",
      "0s, PT0S, 0s",
      "5min, PT5M, 5m",
  })
  void parse_textAndBack(String text, String iso, String human) {
    Duration d = Durations.parse(text);

    assertThat(d).isEqualTo(Duration.parse(iso));
    assertThat(Durations.human(d)).isEqualTo(human);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "six hours", "6x", "-5m", "5m6"})
  void parse_notADuration_throws(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
