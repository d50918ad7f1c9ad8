package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.gateway.broker.PasswordFile.AgentUser;

class PasswordFileTest {
  private static final String HASH = "$6$c2FsdHNhbHQ=$" + "A".repeat(86) + "==";

  @TempDir Path dir;

  @Test
  void read_mosquittoFile_keepsAgentUsers_andListsTheOthersAsIgnored() throws Exception {
    PasswordFile f = PasswordFile.read(PasswordHashTest.VECTORS);

    assertThat(f.users()).containsOnlyKeys("casa-01/agent-01", "casa-01/agent-02", "rabat-02/agent-01",
        "casa-01/agent-03", "casa-01/agent-04");
    assertThat(f.problems()).isEmpty();
    assertThat(f.ignored()).containsExactly(
        PasswordHashTest.VECTORS + ":15: user [sangfroid-gateway] is for Mosquitto; the embedded broker gives the"
            + " gateway its own login.",
        PasswordHashTest.VECTORS + ":16: user [monitoring] is not SITE/AGENT, so it cannot log in to the embedded"
            + " broker.");
  }

  @Test
  void read_fileJustWrittenByMosquittoPasswd_verifiesItsPasswords() throws Exception {
    assumeThat(Path.of("/usr/bin/mosquitto_passwd")).as("Debian's mosquitto package").isExecutable();
    Path file = dir.resolve("passwd");
    run("mosquitto_passwd", "-c", "-b", file.toString(), "casa-01/agent-01", "fresh-secret-1");
    run("mosquitto_passwd", "-H", "sha512", "-b", file.toString(), "casa-01/agent-02", "fresh-secret-2");

    PasswordFile f = PasswordFile.read(file);

    assertThat(f.hash("casa-01/agent-01").orElseThrow().matches(utf8("fresh-secret-1"))).isTrue();
    assertThat(f.hash("casa-01/agent-02").orElseThrow().matches(utf8("fresh-secret-2"))).isTrue();
    assertThat(f.hash("casa-01/agent-02").orElseThrow().matches(utf8("fresh-secret-1"))).isFalse();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_blankLinesCommentsAndCrLf_areAccepted() {
    PasswordFile f = PasswordFile.parse(Path.of("passwd"), "# agents\r\n\r\ncasa-01/agent-01:" + HASH + "\r\n  \n");

    assertThat(f.users()).containsOnlyKeys("casa-01/agent-01");
    assertThat(f.problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no colon        | casa-01/agent-01                  | passwd:2: a line must be USERNAME:HASH as mosquitto_passwd writes it, found no ':'.
      no username     | :{hash}                           | passwd:2: a line must be USERNAME:HASH as mosquitto_passwd writes it, found no username.
      plain password  | casa-01/agent-02:s3cret           | passwd:2: user [casa-01/agent-02]: the password must be hashed (a plain-text password file? hash it with: mosquitto_passwd -U FILE).
      duplicate       | casa-01/agent-01:{hash}           | passwd:2: user [casa-01/agent-01] must appear once, found it also at line 1.
      """)
  void parse_badLine_isAProblemWithFileAndLine_andTheOtherUsersStay(String why, String line, String problem) {
    PasswordFile f = PasswordFile.parse(Path.of("passwd"),
        "casa-01/agent-01:" + HASH + "\n" + line.replace("{hash}", HASH) + "\ncasa-01/agent-03:" + HASH + "\n");

    assertThat(f.problems()).containsExactly(problem);
    assertThat(f.users()).containsOnlyKeys("casa-01/agent-01", "casa-01/agent-03");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      site/agent        | casa-01/agent-01 | true
      dots, underscores | a.b_c/d-e.f      | true
      no slash          | casa-01          | false
      two slashes       | casa-01/a/b      | false
      bad id            | casa 01/agent-01 | false
      empty agent       | casa-01/         | false
      reserved site     | gateway/agent-01 | false
      reserved site     | alarms/agent-01  | false
      """)
  void agentUser_isSiteSlashAgentWithValidIds(String why, String username, boolean agent) {
    assertThat(PasswordFile.agentUser(username)).isEqualTo(agent
        ? Optional.of(new AgentUser(username.split("/")[0], username.split("/")[1]))
        : Optional.empty());
  }
}
