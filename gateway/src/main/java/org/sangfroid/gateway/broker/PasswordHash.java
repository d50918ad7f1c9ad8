package org.sangfroid.gateway.broker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password hash as {@code mosquitto_passwd} writes it, checked with the JDK's own crypto:
 *
 * <ul>
 *   <li>{@code $7$ITERATIONS$SALT$HASH}: PBKDF2-HMAC-SHA512 (Mosquitto 2.0's default; 101
 *       iterations, 12-byte salt, 64-byte hash);
 *   <li>{@code $6$SALT$HASH}: SHA-512 of the password followed by the salt (Mosquitto 1.6 and
 *       earlier, or {@code mosquitto_passwd -H sha512}).
 * </ul>
 *
 * <p>Salt and hash are standard Base64. The password is the UTF-8 bytes the client sent, as
 * {@code mosquitto_passwd} hashed the bytes typed at a UTF-8 terminal.
 *
 * @param encoded the text after {@code username:} in the password file
 */
public record PasswordHash(String encoded) {
  private static final String PBKDF2 = "$7$";
  private static final String SALTED_SHA512 = "$6$";

  /** @throws IllegalArgumentException saying what is wrong with {@code encoded} */
  public PasswordHash {
    if (encoded == null) {
      throw new IllegalArgumentException("the password hash is missing");
    }
    parts(encoded); // validates
  }

  /**
   * True when {@code password} (the bytes of an MQTT CONNECT) is the one hashed here. Bytes that
   * are not UTF-8, and an empty password, never match. Constant time in the hash comparison.
   */
  public boolean matches(ByteBuffer password) {
    byte[] bytes = new byte[password.remaining()];
    password.duplicate().get(bytes);
    try {
      return bytes.length > 0 && MessageDigest.isEqual(compute(bytes), parts(encoded).hash());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private byte[] compute(byte[] password) {
    Parts p = parts(encoded);
    try {
      if (p.iterations() == 0) {
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(password);
        sha.update(p.salt());
        return sha.digest();
      }
      char[] chars = utf8(password);
      PBEKeySpec spec = new PBEKeySpec(chars, p.salt(), p.iterations(), p.hash().length * 8);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
        Arrays.fill(chars, '\0');
      }
    } catch (CharacterCodingException e) {
      return new byte[0]; // not UTF-8: mosquitto_passwd could not have hashed it either
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-512 and PBKDF2WithHmacSHA512", e);
    }
  }

  /** Strict UTF-8: two different byte strings must never give the same characters. */
  private static char[] utf8(byte[] bytes) throws CharacterCodingException {
    CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes));
    char[] out = new char[chars.remaining()];
    chars.get(out);
    Arrays.fill(chars.array(), '\0');
    return out;
  }

  /** {@code iterations} 0 means salted SHA-512. */
  private record Parts(int iterations, byte[] salt, byte[] hash) {}

  private static Parts parts(String text) {
    String[] f = text.split("\\$", -1);
    if (text.startsWith(PBKDF2) && f.length == 5) {
      int iterations;
      try {
        iterations = Integer.parseInt(f[2]);
      } catch (NumberFormatException e) {
        iterations = -1;
      }
      if (iterations < 1) {
        throw new IllegalArgumentException("the iteration count [" + f[2] + "] must be a whole number from 1");
      }
      return new Parts(iterations, base64("salt", f[3]), sha512Length(base64("hash", f[4])));
    }
    if (text.startsWith(SALTED_SHA512) && f.length == 4) {
      return new Parts(0, base64("salt", f[2]), sha512Length(base64("hash", f[3])));
    }
    if (text.startsWith("$")) {
      throw new IllegalArgumentException("the password hash must be $7$ITERATIONS$SALT$HASH or $6$SALT$HASH"
          + " as mosquitto_passwd writes it");
    }
    throw new IllegalArgumentException("the password must be hashed (a plain-text password file?"
        + " hash it with: mosquitto_passwd -U FILE)");
  }

  private static byte[] base64(String what, String text) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + what + " of the password hash must be Base64");
    }
    if (b.length == 0) {
      throw new IllegalArgumentException("the " + what + " of the password hash is empty");
    }
    return b;
  }

  private static byte[] sha512Length(byte[] hash) {
    if (hash.length != 64) {
      throw new IllegalArgumentException("the hash must be 64 bytes (SHA-512), found " + hash.length);
    }
    return hash;
  }

  /** The encoding only; never the hash in logs by accident. */
  @Override
  public String toString() {
    return encoded.startsWith(PBKDF2) ? "PasswordHash[PBKDF2-HMAC-SHA512]" : "PasswordHash[salted SHA-512]";
  }
}
