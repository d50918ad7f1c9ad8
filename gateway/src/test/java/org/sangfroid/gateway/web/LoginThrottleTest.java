package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private final LoginThrottle throttle = new LoginThrottle(clock);

  private void fail(int times, String user, String address) {
    for (int i = 0; i < times; i++) {
      throttle.failed(user, address);
    }
  }

  @ParameterizedTest(name = "{0} failures: wait {1} s")
  @CsvSource({"4, 0", "5, 1", "6, 2", "7, 4", "10, 32", "14, 512", "15, 900", "40, 900"})
  void failuresForOneName_waitDoublesUpToFifteenMinutes(int failures, long seconds) {
    fail(failures, "ana", "10.0.0." + failures); // from different addresses: the name's count alone
    assertThat(throttle.wait("ana", "10.0.0.99").map(Duration::toSeconds).orElse(0L)).isEqualTo(seconds);
  }

  @Test
  void oneAddressTryingManyNames_isSlowedAfterTwenty_otherAddressesAreNot() {
    for (int i = 0; i < LoginThrottle.FREE_PER_ADDRESS; i++) {
      throttle.failed("user" + i, "10.0.0.1");
    }
    assertThat(throttle.wait("someone", "10.0.0.1")).hasValue(Duration.ofSeconds(1));
    assertThat(throttle.wait("someone", "10.0.0.2")).isEmpty();
  }

  @Test
  void waitRunsOut_andCountsAreForgottenAfterAnHour_andASuccessClearsTheName() {
    fail(6, "ana", "10.0.0.1");
    clock.advance(Duration.ofSeconds(2));
    assertThat(throttle.wait("ana", "10.0.0.1")).isEmpty();

    clock.advance(Duration.ofHours(1));
    throttle.failed("ana", "10.0.0.1");
    assertThat(throttle.wait("ana", "10.0.0.1")).as("the old failures are forgotten").isEmpty();

    fail(5, "bob", "10.0.0.3");
    throttle.succeeded("bob");
    assertThat(throttle.wait("bob", "10.0.0.4")).isEmpty();
  }
}
