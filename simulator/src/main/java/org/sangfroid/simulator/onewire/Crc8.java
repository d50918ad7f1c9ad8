package org.sangfroid.simulator.onewire;

/**
 * The Dallas/Maxim 1-Wire CRC-8: polynomial x^8 + x^5 + x^4 + 1, processed LSB first (reflected
 * form 0x8C), initial value 0. The DS18B20 sends it as the ninth scratchpad byte over the first
 * eight; the kernel's {@code w1_calc_crc8} computes the same.
 */
public final class Crc8 {
  private Crc8() {}

  /** The CRC of {@code bytes[0..length)}, each taken as an unsigned byte (0–255). */
  public static int of(int[] bytes, int length) {
    int crc = 0;
    for (int i = 0; i < length; i++) {
      int b = bytes[i] & 0xff;
      for (int bit = 0; bit < 8; bit++) {
        boolean mix = ((crc ^ b) & 1) != 0;
        crc >>>= 1;
        if (mix) {
          crc ^= 0x8c;
        }
        b >>>= 1;
      }
    }
    return crc;
  }

  /** The CRC of all of {@code bytes}. */
  public static int of(int... bytes) {
    return of(bytes, bytes.length);
  }
}
