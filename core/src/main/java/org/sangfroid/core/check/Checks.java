package org.sangfroid.core.check;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation rules that user input and wire input share, each producing a message in the one
 * format technicians and quality managers see everywhere: {@code field [value] must rule.}
 *
 * <p>Methods named {@code require…} throw {@link InvalidValueException} (for values built in
 * code or from config); {@code message(…)} only formats, for callers that collect errors.
 */
public final class Checks {

  /** Identifiers of sites, agents, units and sensors: safe in MQTT topics, URLs and file names. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Checks() {}

  /** Formats {@code field [value] must rule.} */
  public static String message(String field, Object value, String rule) {
    return field + " [" + value + "] must " + rule + ".";
  }

  /** Formats {@code field [value] must rule, found detail.} */
  public static String message(String field, Object value, String rule, String detail) {
    return field + " [" + value + "] must " + rule + ", found " + detail + ".";
  }

  /** True when {@code value} is a valid identifier (see {@link #ID}). */
  public static boolean isId(String value) {
    // By hand rather than ID.matcher: it runs for every field of every reading ingested, and the
    // regex was a third of decoding a batch. ChecksTest holds it to the same answers as ID.
    if (value == null || value.isEmpty() || value.length() > 64 || !letterOrDigit(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!letterOrDigit(c) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean letterOrDigit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** The rule text used for identifiers, so messages stay identical everywhere. */
  public static final String ID_RULE =
      "be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

  /** Returns {@code value} if it is a valid identifier, else throws. */
  public static String requireId(String field, String value) {
    if (!isId(value)) {
      throw new InvalidValueException(message(field, value, ID_RULE));
    }
    return value;
  }

  /** Returns {@code value} if it is not null, else throws. */
  public static <T> T requireNonNull(String field, T value) {
    if (value == null) {
      throw new InvalidValueException(field + " must be given.");
    }
    return value;
  }

  /** Returns {@code value} if it is finite, else throws. */
  public static double requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new InvalidValueException(message(field, value, "be a finite number"));
    }
    return value;
  }

  /** Returns {@code value} if it is at least {@code min}, else throws. */
  public static long requireAtLeast(String field, long value, long min) {
    if (value < min) {
      throw new InvalidValueException(message(field, value, "be at least " + min));
    }
    return value;
  }

  /** Throws with {@code field [value] must rule.} unless {@code condition} holds. */
  public static void require(boolean condition, String field, Object value, String rule) {
    if (!condition) {
      throw new InvalidValueException(message(field, Objects.toString(value), rule));
    }
  }
}
