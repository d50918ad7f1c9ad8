package org.sangfroid.agent.sensor.coap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.sangfroid.core.check.Checks;

/**
 * A DTLS pre-shared key: the identity the agent presents to the node, and the file that holds
 * the key. The key itself never sits in the configuration, in a log or in a message: files are
 * read by {@link #readKey()} when the agent starts, like the broker password.
 *
 * @param identity 1 to {@link #MAX_IDENTITY} printable ASCII characters, as set in the node
 * @param keyFile a file holding the key as {@link #MIN_KEY_BYTES} to {@link #MAX_KEY_BYTES}
 *     bytes written in hexadecimal (spaces and line breaks ignored), the way LwM2M tools and
 *     node firmware show it
 */
public record Psk(String identity, Path keyFile) {
  /** RFC 4279 allows longer identities; nodes store short ones. */
  public static final int MAX_IDENTITY = 128;
  /** 128 bits: a shorter key can be guessed. */
  public static final int MIN_KEY_BYTES = 16;
  /** RFC 4279 section 5.4: implementations must take keys of up to 64 bytes. */
  public static final int MAX_KEY_BYTES = 64;
  /** The rule for identities, for messages. */
  public static final String IDENTITY_RULE =
      "be 1 to " + MAX_IDENTITY + " printable ASCII characters, as set in the node";

  public Psk {
    Checks.require(identityValid(identity), "psk.identity", identity, IDENTITY_RULE);
    Checks.requireNonNull("psk.keyFile", keyFile);
  }

  /** True when {@code identity} follows {@link #IDENTITY_RULE}. */
  public static boolean identityValid(String identity) {
    return identity != null && !identity.isEmpty() && identity.length() <= MAX_IDENTITY
        && identity.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
  }

  /**
   * Reads the key from {@link #keyFile()}.
   *
   * @throws KeyFileException saying what is wrong with the file, without its content
   */
  public byte[] readKey() {
    return readKey(keyFile);
  }

  /** Reads a key file; see {@link #readKey()}. */
  public static byte[] readKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file, READABLE + ", found no such file");
    } catch (AccessDeniedException e) {
      throw new KeyFileException(file, READABLE + ", found no permission to read it");
    } catch (IOException | RuntimeException e) {
      // Not the exception's message: a decoding error could quote the file.
      throw new KeyFileException(file, READABLE + ", found " + e.getClass().getSimpleName());
    }
    String hex = text.replaceAll("\\s", "");
    if (!hex.matches("[0-9A-Fa-f]*")) {
      throw new KeyFileException(file, KEY_RULE + ", found other characters");
    }
    if (hex.length() % 2 != 0 || hex.length() < 2 * MIN_KEY_BYTES || hex.length() > 2 * MAX_KEY_BYTES) {
      throw new KeyFileException(file, KEY_RULE + ", found " + hex.length() + " digits");
    }
    return HexFormat.of().parseHex(hex);
  }

  private static final String READABLE = "be a file the agent can read, holding the pre-shared key";
  private static final String KEY_RULE = "hold the key as " + 2 * MIN_KEY_BYTES + " to " + 2 * MAX_KEY_BYTES
      + " hexadecimal digits (" + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes)";

  /** A key file that cannot be used; the message never holds the key. */
  public static final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String rule;

    KeyFileException(Path file, String rule) {
      super(Checks.message("psk.keyFile", file, rule));
      this.rule = rule;
    }

    /** What the file must be and what it was, as in {@code must RULE}. */
    public String rule() {
      return rule;
    }
  }

  @Override
  public String toString() {
    return "Psk[identity=" + identity + ", keyFile=" + keyFile + "]";
  }
}
