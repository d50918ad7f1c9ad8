package org.sangfroid.gateway.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Slows down password guessing, per login name and per client address, without locking anyone
 * out for good. After {@link #FREE_PER_USER} failed logins for a name (or {@link #FREE_PER_ADDRESS}
 * from one address, higher because many people may share an address behind a proxy), each further
 * attempt must wait 1 s, then 2, 4, 8… up to {@link #MAX_WAIT} after the last failure; an attempt
 * made too early is refused without checking the password. A successful login clears its name's
 * count; counts are forgotten {@link #FORGET} after their last failure. Thread-safe.
 */
public final class LoginThrottle {
  public static final int FREE_PER_USER = 5;
  public static final int FREE_PER_ADDRESS = 20;
  public static final Duration MAX_WAIT = Duration.ofMinutes(15);
  public static final Duration FORGET = Duration.ofHours(1);
  private static final int MAX_KEYS = 10_000;

  private record Failures(int count, long last) {}

  private final ConcurrentMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code user} from {@code address} must still wait before trying; empty: try now. */
  public Optional<Duration> wait(String user, String address) {
    long now = clock.millis();
    long wait = Math.max(waitMillis("user:" + user, FREE_PER_USER, now), waitMillis("ip:" + address, FREE_PER_ADDRESS,
        now));
    return wait > 0 ? Optional.of(Duration.ofMillis(wait)) : Optional.empty();
  }

  private long waitMillis(String key, int free, long now) {
    Failures f = failures.get(key);
    if (f == null || f.count() < free) {
      return 0;
    }
    long delay = Math.min(MAX_WAIT.toMillis(), 1000L << Math.min(30, f.count() - free));
    return Math.max(0, f.last() + delay - now);
  }

  /** Counts a failed login of {@code user} from {@code address}. */
  public void failed(String user, String address) {
    long now = clock.millis();
    if (failures.size() > MAX_KEYS) {
      failures.values().removeIf(f -> now - f.last() > FORGET.toMillis());
    }
    for (String key : new String[] {"user:" + user, "ip:" + address}) {
      failures.merge(key, new Failures(1, now), (old, one) ->
          now - old.last() > FORGET.toMillis() ? one : new Failures(old.count() + 1, now));
    }
  }

  /** {@code user} logged in: their name's failures are forgotten. */
  public void succeeded(String user) {
    failures.remove("user:" + user);
  }
}
