package org.sangfroid.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.gateway.config.GatewayConfig.Embedded;

/** The {@code broker.embedded} section, with and without agent logins. */
class BrokerConfigTest {
  private static final String HASH = "$6$c2FsdHNhbHQ=$" + "A".repeat(86) + "==";

  @TempDir Path dir;

  @BeforeEach
  void passwordFiles() throws Exception {
    Files.writeString(dir.resolve("passwd"), "casa-01/agent-01:" + HASH + "\n");
    Files.writeString(dir.resolve("plain"), "casa-01/agent-01:" + HASH + "\ncasa-01/agent-02:s3cret\n");
  }

  private GatewayConfig parse(String broker) {
    return GatewayConfig.parse("gateway.yaml", "dataDir: d\n" + broker + "\nsites: [{id: casa-01}]\n", dir);
  }

  @Test
  void embedded_withPasswordFile_mayListenOnANetworkAddress_andTheFileIsFoundNextToTheConfig() {
    GatewayConfig c = parse("""
        broker:
          embedded:
            bind: 0.0.0.0
            port: 1883
            passwordFile: passwd""");

    assertThat(c.broker()).isEqualTo(new Embedded("0.0.0.0", 1883, Optional.of(dir.resolve("passwd"))));
  }

  @Test
  void embedded_byDefault_isAnonymousOnLoopback() {
    assertThat(parse("").broker()).isEqualTo(new Embedded("127.0.0.1", 1883, Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      network without logins | 'broker:\\n  embedded:\\n    bind: 0.0.0.0' | gateway.yaml:4: broker.embedded.bind [0.0.0.0] must be a loopback address such as 127.0.0.1 unless broker.embedded.passwordFile is set: without logins anyone who reaches the broker could publish as any agent.
      host name, no logins   | 'broker:\\n  embedded:\\n    bind: gw.example' | gateway.yaml:4: broker.embedded.bind [gw.example] must be a loopback address such as 127.0.0.1 unless broker.embedded.passwordFile is set: without logins anyone who reaches the broker could publish as any agent.
      file missing           | 'broker:\\n  embedded:\\n    passwordFile: nope' | gateway.yaml:4: broker.embedded.passwordFile [nope] must be a readable file, found nothing readable at {dir}/nope.
      plain-text line        | 'broker:\\n  embedded:\\n    bind: 0.0.0.0\\n    passwordFile: plain' | gateway.yaml:5: {dir}/plain:2: user [casa-01/agent-02]: the password must be hashed (a plain-text password file? hash it with: mosquitto_passwd -U FILE).
      external key           | 'broker:\\n  passwordFile: passwd' | gateway.yaml:3: broker.passwordFile applies only to an external broker (set broker.url); the embedded broker's agent logins go in broker.embedded.passwordFile
      unknown key            | 'broker:\\n  embedded:\\n    password: x' | gateway.yaml:4: broker.embedded.password is not a known setting (known here: bind, passwordFile, port)
      """)
  void embedded_badValue_isReportedWithItsLine(String why, String broker, String expected) {
    assertThatThrownBy(() -> parse(broker.replace("\\n", "\n")))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).containsExactly(expected.replace("{dir}", dir.toString())));
  }

  @Test
  void embeddedRecord_onANetworkAddressWithoutLogins_cannotBeBuilt() {
    assertThatThrownBy(() -> new Embedded("0.0.0.0", 1883))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("broker.embedded.bind [0.0.0.0] must be a loopback address");
  }
}
