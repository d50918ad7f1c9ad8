package org.sangfroid.agent.sensor.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoapSensorTest {
  /** Issue 3: a node that does not answer is tried again after 1 s, doubling to once a minute. */
  @ParameterizedTest(name = "after {0} failed attempt(s): {1}")
  @CsvSource({"0, PT0S", "1, PT1S", "2, PT2S", "3, PT4S", "6, PT32S", "7, PT1M", "100, PT1M"})
  void backoff_doublesFromOneSecondToOneMinute(int failures, Duration wait) {
    assertThat(CoapSensor.backoff(failures)).isEqualTo(wait);
  }
}
