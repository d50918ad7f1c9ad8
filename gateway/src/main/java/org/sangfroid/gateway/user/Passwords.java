package org.sangfroid.gateway.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Password hashes: Argon2id through Password4j (a maintained library; no crypto of ours), with
 * OWASP's minimum parameters for Argon2id: 19 MiB of memory, 2 passes, 1 lane. A hash takes
 * some 50 ms on a small server: slow for anyone trying guesses offline, fine for a login.
 * Thread-safe.
 */
public final class Passwords {
  /** Shortest password accepted. */
  public static final int MIN_LENGTH = 12;
  /** Longest password accepted: hashing is costly, so a huge "password" must not be. */
  public static final int MAX_LENGTH = 1_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  /** Checked against when the user does not exist, so that answering takes as long either way. */
  private static final String DUMMY = hash("not a password of anyone's");

  private Passwords() {}

  /**
   * A new random password (20 URL-safe characters, 120 bits) for a user a program makes and
   * logs in as itself (the demo's, the simulator's run user).
   */
  public static String random() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A new salted hash of {@code password}, in PHC form ({@code $argon2id$v=19$m=19456,t=2,p=1$...}). */
  public static String hash(CharSequence password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  /** Whether {@code password} matches {@code hash}; false for a damaged hash. */
  public static boolean matches(CharSequence password, String hash) {
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false; // not an Argon2 hash: no password matches it
    }
  }

  /** Spends the time of a check without a user, so a wrong name cannot be told from a wrong password. */
  public static void matchNobody(CharSequence password) {
    matches(password, DUMMY);
  }

  /** Why {@code password} is refused, in the Checks format; empty when it is acceptable. */
  public static Optional<String> weakness(CharSequence password) {
    int length = password.codePoints().toArray().length;
    if (length < MIN_LENGTH) {
      return Optional.of("The password must be at least " + MIN_LENGTH + " characters long, found " + length
          + ". A few unrelated words make a long password that is easy to remember.");
    }
    if (length > MAX_LENGTH) {
      return Optional.of("The password must be at most " + MAX_LENGTH + " characters long, found " + length + ".");
    }
    if (password.codePoints().distinct().count() < 5) {
      return Optional.of("The password must not repeat a few characters over and over.");
    }
    return Optional.empty();
  }
}
