package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;

/** What the embedded broker refuses before it starts anything. */
class EmbeddedBrokerTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      127.0.0.1,       true
      127.1.2.3,       true
      localhost,       true
      LOCALHOST,       true
      ::1,             true
      [::1],           true
      0:0:0:0:0:0:0:1, true
      0.0.0.0,         false
      ::,              false
      192.168.1.10,    false
      127.0.0.256,     false
      128.0.0.1,       false
      fe80::1,         false
      broker.example,  false
      localhost.evil,  false
      """)
  void isLoopback_onlyForLoopbackLiteralsAndLocalhost(String bind, boolean loopback) {
    assertThat(EmbeddedBroker.isLoopback(bind)).isEqualTo(loopback);
  }

  @Test
  void start_anonymousOnANetworkAddress_isRefusedBeforeListening() {
    assertThatThrownBy(() -> EmbeddedBroker.start("0.0.0.0", 0, dir))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("bind [0.0.0.0] must be a loopback address such as 127.0.0.1 when there is no password file"
            + " (anyone who reaches the broker could publish as any agent).");
    assertThat(Files.exists(dir.resolve("conf"))).isFalse();
  }
}
