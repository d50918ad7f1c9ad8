package org.sangfroid.simulator.onewire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sangfroid.core.check.InvalidValueException;

class RomIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"28-0000000000a1", "28-0316a2794bff"})
  void of_kernelFolderName_accepted(String value) {
    assertThat(RomId.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "28-0000000000A1", "10-0000000000a1", "28-00000000a1", "28_0000000000a1", "28-0000000000a1 "})
  void of_anythingElse_throwsWithRule(String value) {
    assertThatThrownBy(() -> RomId.of(value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("rom [" + value + "] must be 28- then 12 lowercase hex digits, such as 28-0000000000a1.");
  }
}
