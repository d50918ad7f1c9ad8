package org.sangfroid.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.TestPki;

/** PEM certificates and keys in the layouts openssl writes, read with the JDK alone. */
class PemTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static KeyPair pair(String algorithm) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      gen.initialize(new ECGenParameterSpec("secp384r1"));
    } else if (algorithm.equals("RSA")) {
      gen.initialize(2048);
    }
    return gen.generateKeyPair();
  }

  @Test
  void privateKey_pkcs8OfEachAlgorithm_readBack() throws Exception {
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      PrivateKey key = pair(algorithm).getPrivate();

      PrivateKey read = Pem.privateKey("k", write(algorithm + ".key", TestPki.pkcs8Pem(key)));

      assertThat(read.getEncoded()).as(algorithm).isEqualTo(key.getEncoded());
    }
  }

  @Test
  void privateKey_traditionalRsaAndEc_rewrappedAsTheSameKey() throws Exception {
    for (String algorithm : new String[] {"EC", "RSA"}) {
      KeyPair pair = pair(algorithm);
      String pem = algorithm.equals("EC") ? TestPki.sec1Pem(pair, "1.3.132.0.34") : TestPki.traditionalPem(pair.getPrivate());
      assertThat(pem).startsWith("-----BEGIN " + algorithm + " PRIVATE KEY-----");

      // openssl ecparam -genkey writes the curve's parameters first; they are skipped.
      PrivateKey read = Pem.privateKey("k", write(algorithm + ".key", "-----BEGIN EC PARAMETERS-----\n"
          + "BggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pem));

      assertThat(read.getAlgorithm()).isEqualTo(algorithm);
      String scheme = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      Signature sign = Signature.getInstance(scheme);
      sign.initSign(read);
      sign.update(new byte[] {1, 2, 3});
      Signature verify = Signature.getInstance(scheme);
      verify.initVerify(pair.getPublic());
      verify.update(new byte[] {1, 2, 3});
      assertThat(verify.verify(sign.sign())).as(algorithm + ": the same key").isTrue();
    }
  }

  @Test
  void privateKey_sec1WithoutItsCurve_refusedSayingHowToConvert() throws Exception {
    Path file = write("ec.key", TestPki.traditionalPem(pair("EC").getPrivate()));  // the JDK's SEC1 omits the curve

    assertThatThrownBy(() -> Pem.privateKey("broker.tls.keyFile", file))
        .isInstanceOf(TlsFileException.class)
        .hasMessageEndingWith("must hold an EC private key that names its curve, found one that does not (convert it"
            + " with: openssl pkey -in KEY -out KEY.new).");
  }

  @Test
  void privateKey_encrypted_refusedSayingHowToRemoveThePassphrase() throws Exception {
    Path file = write("enc.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> Pem.privateKey("broker.tls.keyFile", file))
        .isInstanceOf(TlsFileException.class)
        .hasMessage("broker.tls.keyFile [" + file + "] must hold a private key without a passphrase (the agent starts"
            + " unattended), found an encrypted one; remove the passphrase with: openssl pkey -in KEY -out KEY.new.");
  }

  @Test
  void privateKey_certificateInsteadOfKey_refused() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));

    assertThatThrownBy(() -> Pem.privateKey("broker.tls.keyFile", pki.client().certFile()))
        .isInstanceOf(TlsFileException.class)
        .hasMessageContaining("must hold a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void certificates_chainFile_allInOrder() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path chain = write("chain.crt", Files.readString(pki.client().certFile()) + Files.readString(pki.ca().certFile()));

    assertThat(Pem.certificates("c", chain)).containsExactly(pki.client().certificate(), pki.ca().certificate());
  }

  @Test
  void certificates_keyInsteadOfCertificate_refused() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));

    assertThatThrownBy(() -> Pem.certificates("broker.tls.caFile", pki.ca().keyFile()))
        .isInstanceOf(TlsFileException.class)
        .hasMessage("broker.tls.caFile [" + pki.ca().keyFile() + "] must hold at least one PEM certificate"
            + " (-----BEGIN CERTIFICATE-----).");
  }
}
