package org.sangfroid.simulator.onewire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Crc8Test {

  /** Scratchpads copied from real {@code w1_slave} files: the ninth byte is the device's CRC. */
  @ParameterizedTest
  @CsvSource({
    "72 01 4b 46 7f ff 0e 10 57", // shared/brief example, 23.125 °C
    "50 05 4b 46 7f ff 0c 10 1c", // power-on 85 °C
    "6c 01 4b 46 7f ff 04 10 5d", // 22.750 °C
    "73 01 4b 46 7f ff 0d 10 41", // 23.187 °C
    "79 01 4b 46 7f ff 07 10 0a", // 23.562 °C
    "67 01 4b 46 7f ff 09 10 3b", // 22.437 °C
  })
  void of_kernelScratchpad_matchesNinthByte(String dump) {
    int[] bytes = Arrays.stream(dump.split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();

    assertThat(Crc8.of(bytes, 8)).isEqualTo(bytes[8]);
    assertThat(Crc8.of(bytes)).as("CRC over data and its CRC").isZero();
  }

  @ParameterizedTest
  @CsvSource({"0, 00", "1, 5e", "255, 35"})
  void of_singleByte_matchesDallasTable(int b, String crc) {
    assertThat(Crc8.of(b)).isEqualTo(Integer.parseInt(crc, 16));
  }
}
