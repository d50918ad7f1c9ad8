package org.sangfroid.simulator.onewire;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test-side reader of {@code w1_slave}, written independently of the production renderer. */
record W1SlaveFile(int[] read, int crc, boolean crcOk, int[] lastGood, int millidegrees) {
  private static final Pattern FORMAT =
      Pattern.compile(
          "((?:[0-9a-f]{2} ){9}): crc=([0-9a-f]{2}) (YES|NO)\n((?:[0-9a-f]{2} ){9})t=(-?\\d+)\n");

  static W1SlaveFile parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a w1_slave file: [" + text + "]");
    }
    return new W1SlaveFile(
        bytes(m.group(1)), Integer.parseInt(m.group(2), 16), m.group(3).equals("YES"), bytes(m.group(4)),
        Integer.parseInt(m.group(5)));
  }

  private static int[] bytes(String hex) {
    return Arrays.stream(hex.trim().split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
  }

  /** The temperature the bytes read encode, °C. */
  double celsius() {
    return (short) ((read[1] << 8) | read[0]) / 16.0;
  }
}
