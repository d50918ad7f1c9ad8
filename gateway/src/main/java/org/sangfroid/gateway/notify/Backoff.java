package org.sangfroid.gateway.notify;

import java.time.Duration;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.config.GatewayConfig.Retry;

/**
 * When to try a failed delivery again: {@code first}, doubling after each failure up to {@code
 * max}, each delay moved by up to ±{@code jitter} (a fraction) so that channels that failed
 * together do not retry together; after {@code giveUpAfter} since the first attempt, no more.
 */
public record Backoff(Duration first, Duration max, Duration giveUpAfter, double jitter) {
  /** ±20 %. */
  public static final double DEFAULT_JITTER = 0.2;

  public Backoff {
    Checks.require(first != null && !first.isNegative() && !first.isZero(), "first", first, "be positive");
    Checks.require(max != null && max.compareTo(first) >= 0, "max", max, "be at least first");
    Checks.require(giveUpAfter != null && !giveUpAfter.isNegative(), "giveUpAfter", giveUpAfter,
        "not be negative");
    Checks.require(jitter >= 0 && jitter < 1, "jitter", jitter, "be from 0 to less than 1");
  }

  /** The configured retry with the default jitter. */
  public static Backoff of(Retry retry) {
    return new Backoff(retry.first(), retry.max(), retry.giveUpAfter(), DEFAULT_JITTER);
  }

  /**
   * The delay after the {@code failures}-th failure (1 for the first).
   *
   * @param random uniform in [0, 1): 0.5 gives the delay without jitter
   */
  public Duration delay(int failures, double random) {
    Checks.require(failures >= 1, "failures", failures, "be at least 1");
    long base = first.toMillis();
    long cap = max.toMillis();
    for (int i = 1; i < failures && base < cap; i++) {
      base *= 2;
    }
    base = Math.min(base, cap);
    double factor = 1 + jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
  }
}
