package org.sangfroid.agent.input;

import java.util.OptionalLong;

/**
 * One input's debounce, on the times it is given: a level different from the stable one becomes
 * stable once every read for {@code debounceMillis} saw it; any read of the stable level in
 * between cancels it (contact chatter, a bounce). Not thread-safe: the watcher's thread owns it.
 */
final class Debounce {
  private final long debounceMillis;
  private boolean known;
  private boolean stable;
  private boolean pending;
  private long pendingSince;

  Debounce(long debounceMillis) {
    this.debounceMillis = debounceMillis;
  }

  /** True once a first level was read. */
  boolean known() {
    return known;
  }

  /** The stable level (meaningful once {@link #known()}). */
  boolean stable() {
    return stable;
  }

  /** Takes {@code level} as the stable level at once: the first read, which is no change. */
  void first(boolean level) {
    known = true;
    stable = level;
    pending = false;
  }

  /**
   * A read of {@code level} at {@code now}.
   *
   * @return the time the new level began, when this read makes it stable; else empty
   */
  OptionalLong read(boolean level, long now) {
    if (level == stable) {
      pending = false;
      return OptionalLong.empty();
    }
    if (!pending || now < pendingSince) {  // a new candidate, or the clock stepped back
      pending = true;
      pendingSince = now;
    }
    if (now - pendingSince < debounceMillis) {
      return OptionalLong.empty();
    }
    stable = level;
    pending = false;
    return OptionalLong.of(pendingSince);
  }
}
