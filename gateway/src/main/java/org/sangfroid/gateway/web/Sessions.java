package org.sangfroid.gateway.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.User;

/**
 * The logged-in sessions, in memory: a gateway restart logs everyone out. A session ends after
 * {@code idle} without a request, {@code max} after it started, or at logout. Ids and CSRF tokens
 * are 256 random bits from {@link SecureRandom}. Thread-safe.
 */
public final class Sessions {
  private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

  private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration idle;
  private final Duration max;

  /** @param clock the gateway clock, for the timeouts */
  public Sessions(Clock clock, Duration idle, Duration max) {
    this.clock = clock;
    this.idle = idle;
    this.max = max;
  }

  /** A new random token (session ids, CSRF tokens, the login form's token). */
  String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return TOKEN.encodeToString(bytes);
  }

  /** Starts a session for {@code user}, who just proved who they are. */
  public Session start(User user) {
    long now = clock.millis();
    Session s = new Session(token(), user.name(), user.role(), user.language(), token(), now, now);
    sessions.put(s.id(), s);
    purge(now);
    return s;
  }

  /** The live session {@code id}, marked as used now; empty when unknown or timed out (and then forgotten). */
  public Optional<Session> use(String id) {
    return find(id, true);
  }

  /** As {@link #use}, without counting as activity (live updates are not the user doing anything). */
  public Optional<Session> peek(String id) {
    return find(id, false);
  }

  private Optional<Session> find(String id, boolean touch) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    if (expired(s, now)) {
      sessions.remove(id, s);
      return Optional.empty();
    }
    if (touch) {
      Session seen = s.seenAt(now);
      sessions.replace(id, s, seen);
      return Optional.of(seen);
    }
    return Optional.of(s);
  }

  private boolean expired(Session s, long now) {
    return now - s.lastSeen() >= idle.toMillis() || now - s.startedAt() >= max.toMillis();
  }

  /** Ends session {@code id} (logout). */
  public void end(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** Changes the language of session {@code id}. */
  public void setLanguage(String id, Language language) {
    sessions.computeIfPresent(id, (k, s) -> s.speaking(language));
  }

  /** How many sessions are live now. */
  public int count() {
    purge(clock.millis());
    return sessions.size();
  }

  /** Forgets timed-out sessions (they are refused anyway; this bounds the memory). */
  private void purge(long now) {
    sessions.values().removeIf(s -> expired(s, now));
  }
}
