package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.gateway.broker.Logins.Agent;
import org.sangfroid.gateway.broker.Logins.Gateway;
import org.sangfroid.gateway.broker.Logins.Login;
import org.sangfroid.gateway.broker.Logins.Refused;
import org.sangfroid.gateway.broker.PasswordFile.AgentUser;

/** Who may log in, and where each may publish and subscribe, decided without a broker. */
class LoginsTest {
  private static final AgentUser AGENT_01 = new AgentUser("casa-01", "agent-01");
  private static final String OWN_ID = "sangfroid-agent-casa-01-agent-01";

  @TempDir Path dir;
  private Path file;
  private Logins logins;

  @BeforeEach
  void open() throws Exception {
    file = dir.resolve("passwd");
    Files.copy(PasswordHashTest.VECTORS, file);
    logins = Logins.open(file, new SecureRandom());
  }

  private Login login(String user, String password, String clientId) {
    return logins.login(Optional.ofNullable(user), Optional.ofNullable(password).map(LoginsTest::utf8), clientId,
        Optional.empty());
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> line(String user) throws Exception {
    return Files.readAllLines(PasswordHashTest.VECTORS).stream().filter(l -> l.startsWith(user + ":")).findFirst();
  }

  @Test
  void agent_withItsPassword_logsInAsItself() {
    Login login = login("casa-01/agent-01", "agent-01-secret", OWN_ID);

    assertThat(login).isInstanceOfSatisfying(Agent.class, a -> assertThat(a.user()).isEqualTo(AGENT_01));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      wrong password              | casa-01/agent-01  | agent-02-secret    | true
      no password                 | casa-01/agent-01  | null               | true
      unknown user                | casa-01/agent-99  | agent-01-secret    | true
      not an agent user           | monitoring        | not-an-agent       | true
      Mosquitto's gateway line    | sangfroid-gateway | for-mosquitto-only | true
      anonymous                   | null              | null               | false
      """)
  void login_withoutValidCredentials_isRefused(String why, String user, String password, boolean badCredentials) {
    assertThat(login(user, password, "any-client")).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.badCredentials()).isEqualTo(badCredentials));
  }

  @Test
  void gateway_withTheSecretMadeAtStart_logsIn_andTheSecretIsNewAtEachStart() {
    String secret = new String(logins.gatewayPassword());

    assertThat(login(Logins.GATEWAY_USER, secret, "sangfroid-gateway")).isInstanceOf(Gateway.class);
    assertThat(secret).hasSize(64).matches("[0-9a-f]+");
    assertThat(new String(Logins.open(file, new SecureRandom()).gatewayPassword())).isNotEqualTo(secret);
  }

  @ParameterizedTest(name = "client id {0}")
  @CsvSource(delimiter = '|', textBlock = """
      sangfroid-agent-casa-01-agent-01 | true
      mosquitto-sub-debug              | true
      sangfroid-gateway                | false
      sangfroid-agent-casa-01-agent-02 | false
      sangfroid-agent-casa-01-agent-0  | false
      """)
  void agent_mayNotTakeOverTheGatewaysOrAnotherAgentsSession(String clientId, boolean allowed) {
    Login login = login("casa-01/agent-01", "agent-01-secret", clientId);

    if (allowed) {
      assertThat(login).isInstanceOf(Agent.class);
    } else {
      assertThat(login).isInstanceOfSatisfying(Refused.class, r -> assertThat(r.badCredentials()).isFalse());
    }
  }

  @Test
  void agent_withALastWillOnAnotherAgentsStatus_isRefused() {
    Login own = logins.login(Optional.of("casa-01/agent-01"), Optional.of(utf8("agent-01-secret")), OWN_ID,
        Optional.of("sangfroid/v1/casa-01/agent-01/status"));
    Login other = logins.login(Optional.of("casa-01/agent-01"), Optional.of(utf8("agent-01-secret")), OWN_ID,
        Optional.of("sangfroid/v1/casa-01/agent-02/status"));

    assertThat(own).isInstanceOf(Agent.class);
    assertThat(other).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.why()).isEqualTo("last will on sangfroid/v1/casa-01/agent-02/status, not one of its own"
            + " topics"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sangfroid/v1/casa-01/agent-01/readings | true
      sangfroid/v1/casa-01/agent-01/status   | true
      sangfroid/v1/casa-01/agent-01/events   | true
      sangfroid/v1/casa-01/agent-01/ack      | false
      sangfroid/v1/casa-01/agent-02/readings | false
      sangfroid/v1/rabat-02/agent-01/readings | false
      sangfroid/v1/gateway/state             | false
      sangfroid/v1/alarms/casa-01/rbc-fridge-1 | false
      sangfroid/v1/casa-01/agent-01/readings/x | false
      sangfroid/v1/casa-01/agent-01          | false
      """)
  void mayPublish_onlyTheAgentsOwnReadingsStatusAndEvents(String topic, boolean allowed) {
    assertThat(Logins.mayPublish(AGENT_01, topic)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sangfroid/v1/casa-01/agent-01/ack      | true
      sangfroid/v1/gateway/state             | true
      sangfroid/v1/casa-01/agent-02/ack      | false
      sangfroid/v1/casa-01/+/ack             | false
      sangfroid/v1/casa-01/agent-01/#        | false
      sangfroid/v1/#                         | false
      #                                      | false
      sangfroid/v1/casa-01/agent-01/readings | false
      $share/g/sangfroid/v1/casa-01/agent-01/ack | false
      """)
  void maySubscribe_onlyItsOwnAckAndTheGatewayState(String filter, boolean allowed) {
    assertThat(Logins.maySubscribe(AGENT_01, filter)).isEqualTo(allowed);
  }

  @Test
  void passwordFile_withANewAgent_isReadAgainAtTheNextLogin() throws Exception {
    Path fresh = dir.resolve("fresh");
    Files.writeString(fresh, line("casa-01/agent-01").orElseThrow() + "\n");
    Logins l = Logins.open(fresh, new SecureRandom());
    assertThat(l.login(Optional.of("casa-01/agent-02"), Optional.of(utf8("agent-02-secret")), "c",
        Optional.empty())).isInstanceOf(Refused.class);

    Files.writeString(fresh, line("casa-01/agent-02").orElseThrow() + "\n", StandardOpenOption.APPEND);

    assertThat(l.login(Optional.of("casa-01/agent-02"), Optional.of(utf8("agent-02-secret")), "c",
        Optional.empty())).isInstanceOf(Agent.class);
  }

  @Test
  void agent_givenANewPasswordOrRemoved_isNoLongerValid() throws Exception {
    Agent a = (Agent) login("casa-01/agent-01", "agent-01-secret", OWN_ID);
    assertThat(logins.stillValid(a.user(), a.hash())).isTrue();

    // The same length, so only the modification time tells (as after mosquitto_passwd in the same second).
    String replaced = Files.readString(file).replace(a.hash().encoded(),
        Files.readString(file).lines().filter(l -> l.startsWith("casa-01/agent-02:")).findFirst().orElseThrow()
            .substring("casa-01/agent-02:".length()));
    Files.writeString(file, replaced);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(logins.stillValid(a.user(), a.hash())).isFalse();
    assertThat(login("casa-01/agent-01", "agent-02-secret", OWN_ID)).isInstanceOf(Agent.class);

    Files.write(file, List.of(line("casa-01/agent-02").orElseThrow()));
    assertThat(logins.login(Optional.of("casa-01/agent-01"), Optional.of(utf8("agent-02-secret")), OWN_ID,
        Optional.empty())).isInstanceOf(Refused.class);
  }

  @Test
  void passwordFile_thatCannotBeReadAnyMore_keepsTheLastGoodReading() throws Exception {
    Files.delete(file);

    assertThat(login("casa-01/agent-01", "agent-01-secret", OWN_ID)).isInstanceOf(Agent.class);
  }

  @Test
  void open_missingFile_saysWhich() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> Logins.open(missing, new SecureRandom()))
        .isInstanceOf(BrokerException.class)
        .hasMessageStartingWith("broker.embedded.passwordFile [" + missing + "] must be readable");
  }
}
