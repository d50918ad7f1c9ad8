package org.sangfroid.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "0", "casa-01", "rbc_fridge.1", "agent-01",
      "a123456789012345678901234567890123456789012345678901234567890123"})
  void isId_valid(String id) {
    assertThat(Checks.isId(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", ".a", "_a", "a b", "a/b", "a+b", "é", "caséa", "a\n", "a\u0000",
      "a1234567890123456789012345678901234567890123456789012345678901234"})
  void isId_invalid(String id) {
    assertThat(Checks.isId(id)).isFalse();
    assertThat(Checks.isId(null)).isFalse();
  }

  /** The hand-written check answers exactly as the documented pattern, on many random strings. */
  @Test
  void isId_agreesWithThePattern() {
    Random random = new Random(42);
    String alphabet = "aZ09-_. /+é\u0000\u00ff:#";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(70);
      for (int j = 0; j < length; j++) {
        b.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
            : (char) ('a' + random.nextInt(26)));
      }
      String s = b.toString();
      assertThat(Checks.isId(s)).as("[%s]", s).isEqualTo(Checks.ID.matcher(s).matches());
    }
  }
}
