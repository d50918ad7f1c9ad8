package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void of_threeRuns_medianAndHalfTheRangeAsSpread() {
    Stats s = Stats.of(List.of(120.0, 100.0, 80.0));

    assertThat(s.median()).isEqualTo(100.0);
    assertThat(s.min()).isEqualTo(80.0);
    assertThat(s.max()).isEqualTo(120.0);
    assertThat(s.spread()).isCloseTo(0.20, within(1e-9));
  }

  @Test
  void of_evenCount_medianIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void of_oneRun_hasNoSpread() {
    assertThat(Stats.once(7).spread()).isZero();
  }

  @Test
  void of_noValues_throws() {
    assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"50, 100", "99, 198", "100, 200", "0.1, 1"})
  void percentile_nearestRankOf1To200(double p, double expected) {
    List<Double> values = IntStream.rangeClosed(1, 200).mapToObj(i -> (double) (201 - i)).toList();

    assertThat(Stats.percentile(values, p)).isEqualTo(expected);
  }
}
