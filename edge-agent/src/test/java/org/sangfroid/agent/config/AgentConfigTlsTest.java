package org.sangfroid.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.TestPki;
import org.sangfroid.agent.tls.BrokerTls;
import org.sangfroid.core.config.ConfigException;

/** Issue 3: {@code broker.tls} and the rule that secret files are not readable by every user. */
class AgentConfigTlsTest {
  @TempDir Path dir;
  private TestPki pki;

  @BeforeEach
  void certificates() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  private Path config(String broker) throws Exception {
    return config("agent.yaml", broker);
  }

  private Path config(String name, String broker) throws Exception {
    return Files.writeString(dir.resolve(name), """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
        %s
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """.formatted(broker.indent(2).stripTrailing()));
  }

  private static List<String> problems(Path file) {
    try {
      AgentConfig.load(file);
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.replace(file.toString(), "FILE")).toList();
    }
    throw new AssertionError("expected problems in " + file);
  }

  @Test
  void load_tlsWithClientCertificate_readsTheThreeFiles() throws Exception {
    Path file = config("""
        url: ssl://mqtt.example.org:8883
        tls:
          caFile: %s
          certFile: %s
          keyFile: %s""".formatted(pki.ca().certFile(), pki.client().certFile(), pki.client().keyFile()));

    AgentConfig.Broker b = AgentConfig.load(file).broker();

    assertThat(b.tls()).hasValue(new BrokerTls(Optional.of(pki.ca().certFile()), Optional.of(pki.client().certFile()),
        Optional.of(pki.client().keyFile())));
    assertThat(b.secure()).isTrue();
  }

  @Test
  void load_sslWithoutTlsSection_usesTheSystemDefaults() throws Exception {
    AgentConfig.Broker b = AgentConfig.load(config("url: ssl://mqtt.example.org:8883")).broker();

    assertThat(b.tls()).isEmpty();
    assertThat(b.secure()).isTrue();
  }

  @Test
  void load_badTlsFiles_eachReportedOnItsLine() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.txt"), "not a certificate\n");
    Path file = config("""
        url: ssl://mqtt.example.org:8883
        tls:
          caFile: %s
          certFile: %s
          keyFile: %s""".formatted(notPem, pki.client().certFile(), pki.server().keyFile()));

    assertThat(problems(file)).containsExactly(
        "FILE:7: broker.tls.caFile [" + notPem + "] must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----).",
        "FILE:9: broker.tls.keyFile [" + pki.server().keyFile() + "] must be the private key of broker.tls.certFile ("
            + pki.client().certFile() + "), found another key.");
  }

  @Test
  void load_keyReadableByEveryone_refusedWithTheFix() throws Exception {
    Files.setPosixFilePermissions(pki.client().keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
    Path file = config("""
        url: ssl://mqtt.example.org:8883
        tls:
          certFile: %s
          keyFile: %s""".formatted(pki.client().certFile(), pki.client().keyFile()));

    assertThat(problems(file)).containsExactly("FILE:8: broker.tls.keyFile [" + pki.client().keyFile() + "] must be"
        + " readable by the agent's service only, found it readable by every user of this device (rw-r--r--); fix:"
        + " sudo chown root:sangfroid " + pki.client().keyFile() + " && sudo chmod 0640 " + pki.client().keyFile() + ".");
  }

  @Test
  void load_passwordFileReadableByEveryone_refused() throws Exception {
    Path secret = Files.writeString(dir.resolve("agent.secret"), "s3cret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Path file = config("""
        url: ssl://mqtt.example.org:8883
        username: casa-01/agent-01
        passwordFile: %s""".formatted(secret));

    assertThat(problems(file)).singleElement().asString()
        .startsWith("FILE:7: broker.passwordFile [" + secret + "] must be readable by the agent's service only");

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(AgentConfig.load(file).broker().passwordFile()).hasValue(secret);
  }

  @Test
  void load_halfAClientCertificateOrTlsOnPlainMqtt_refused() throws Exception {
    Path half = config("half.yaml", """
        url: ssl://mqtt.example.org:8883
        tls:
          certFile: %s""".formatted(pki.client().certFile()));
    Path plain = config("plain.yaml", """
        url: tcp://mqtt.example.org:1883
        tls:
          caFile: %s""".formatted(pki.ca().certFile()));

    assertThat(problems(half)).containsExactly("FILE:7: broker.tls.certFile needs broker.tls.keyFile (the client"
        + " certificate's private key)");
    assertThat(problems(plain)).containsExactly(
        "FILE:7: broker.tls is only for an ssl:// broker; broker.url is tcp://mqtt.example.org:1883");
  }

  @Test
  void load_unknownTlsKeyOrMissingFile_refused() throws Exception {
    Path file = config("""
        url: ssl://mqtt.example.org:8883
        tls:
          caFile: /nonexistent/ca.crt
          ciphers: strong""");

    assertThat(problems(file)).containsExactly(
        "FILE:7: broker.tls.caFile [/nonexistent/ca.crt] must be a file the agent can read, holding PEM certificates,"
            + " found no such file.",
        "FILE:8: broker.tls.ciphers is not a known setting (known here: caFile, certFile, keyFile)");
  }
}
