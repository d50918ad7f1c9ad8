package org.sangfroid.simulator.onewire;

import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;

/**
 * A DS18B20's 1-Wire id as the kernel names its sysfs folder: family code {@code 28}, a dash and
 * the 48-bit serial as 12 lowercase hex digits, e.g. {@code 28-0000000000a1}.
 *
 * @param value the id, e.g. {@code 28-0000000000a1}
 */
public record RomId(String value) implements Comparable<RomId> {
  /** The accepted form. */
  public static final Pattern PATTERN = Pattern.compile("28-[0-9a-f]{12}");

  /** The rule text, so config and code say the same thing. */
  public static final String RULE = "be 28- then 12 lowercase hex digits, such as 28-0000000000a1";

  /** Throws {@code InvalidValueException} unless {@code value} matches {@link #PATTERN}. */
  public RomId {
    Checks.require(value != null && PATTERN.matcher(value).matches(), "rom", value, RULE);
  }

  /** Parses {@code value}; same as the constructor. */
  public static RomId of(String value) {
    return new RomId(value);
  }

  /** True when {@code value} is a valid id. */
  public static boolean isValid(String value) {
    return value != null && PATTERN.matcher(value).matches();
  }

  @Override
  public int compareTo(RomId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
