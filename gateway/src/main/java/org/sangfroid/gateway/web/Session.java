package org.sangfroid.gateway.web;

import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/**
 * A logged-in user's session, as {@link Sessions} keeps it.
 *
 * @param id the random value of the session cookie
 * @param csrf the random token every POST of this session must carry
 * @param startedAt gateway clock, epoch ms
 * @param lastSeen gateway clock, epoch ms, of the last request
 */
public record Session(String id, String user, Role role, Language language, String csrf, long startedAt,
    long lastSeen) {
  Session seenAt(long now) {
    return new Session(id, user, role, language, csrf, startedAt, now);
  }

  Session speaking(Language l) {
    return new Session(id, user, role, l, csrf, startedAt, lastSeen);
  }

  @Override
  public String toString() {
    return "Session[" + user + "]"; // never the id or the token
  }
}
