package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hashes written by Debian's mosquitto_passwd 2.0.11 (test resource broker/mosquitto-passwd). */
class PasswordHashTest {
  static final Path VECTORS = Path.of("src/test/resources/broker/mosquitto-passwd");

  private static Map<String, PasswordHash> vectors() throws Exception {
    return PasswordFile.read(VECTORS).users();
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      casa-01/agent-01  | agent-01-secret | $7$101$  PBKDF2-HMAC-SHA512, mosquitto 2.0 default
      casa-01/agent-02  | agent-02-secret | $7$101$
      rabat-02/agent-01 | legacy-sha512   | $6$      salted SHA-512, mosquitto_passwd -H sha512
      casa-01/agent-03  | pässwörd-été    | $7$101$  UTF-8 password
      casa-01/agent-04  | thousand-rounds | $7$1000$ mosquitto_passwd -I 1000
      """)
  void matches_passwordMosquittoHashed_isTrue_andAnyOtherIsFalse(String user, String password, String kind)
      throws Exception {
    PasswordHash hash = vectors().get(user);

    assertThat(hash.encoded()).startsWith(kind.split(" ")[0]);
    assertThat(hash.matches(utf8(password))).isTrue();
    assertThat(hash.matches(utf8(password + "x"))).isFalse();
    assertThat(hash.matches(utf8(password.substring(1)))).isFalse();
    assertThat(hash.matches(utf8("agent-01-secret".equals(password) ? "agent-02-secret" : "agent-01-secret")))
        .isFalse();
  }

  @Test
  void matches_emptyPassword_isFalse() throws Exception {
    assertThat(vectors().get("casa-01/agent-01").matches(ByteBuffer.allocate(0))).isFalse();
  }

  @Test
  void matches_bytesThatAreNotUtf8_isFalse_evenWhereALenientDecoderWouldMatch() throws Exception {
    // PBKDF2 hashes characters: a lenient decoder turns the bytes FF FE into U+FFFD U+FFFD.
    byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
        .generateSecret(new PBEKeySpec("\uFFFD\uFFFD".toCharArray(), salt, 101, 512)).getEncoded();
    PasswordHash replacement = new PasswordHash("$7$101$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(hash));

    assertThat(replacement.matches(utf8("\uFFFD\uFFFD"))).isTrue();
    assertThat(replacement.matches(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xfe}))).isFalse();
  }

  @Test
  void matches_doesNotConsumeTheBuffer() throws Exception {
    ByteBuffer password = utf8("agent-01-secret");

    vectors().get("casa-01/agent-01").matches(password);

    assertThat(password.remaining()).isEqualTo(15);
  }

  @Test
  void toString_doesNotShowTheHash() throws Exception {
    assertThat(vectors().get("casa-01/agent-01").toString()).isEqualTo("PasswordHash[PBKDF2-HMAC-SHA512]")
        .doesNotContain("$");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      plain text          | agent-01-secret                              | the password must be hashed (a plain-text password file? hash it with: mosquitto_passwd -U FILE)
      unknown algorithm   | $5$c2FsdA==$aGFzaA==                          | the password hash must be $7$ITERATIONS$SALT$HASH or $6$SALT$HASH as mosquitto_passwd writes it
      7 with a field less | $7$101$c2FsdA==                               | the password hash must be $7$ITERATIONS$SALT$HASH or $6$SALT$HASH as mosquitto_passwd writes it
      iterations 0        | $7$0$c2FsdA==$aGFzaA==                        | the iteration count [0] must be a whole number from 1
      iterations text     | $7$many$c2FsdA==$aGFzaA==                     | the iteration count [many] must be a whole number from 1
      salt not base64     | $6$not*base64$aGFzaA==                        | the salt of the password hash must be Base64
      empty salt          | $6$$aGFzaA==                                  | the salt of the password hash is empty
      hash too short      | $6$c2FsdA==$aGFzaA==                          | the hash must be 64 bytes (SHA-512), found 4
      """)
  void new_malformedHash_saysWhatIsWrong(String why, String encoded, String message) {
    assertThatThrownBy(() -> new PasswordHash(encoded))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
