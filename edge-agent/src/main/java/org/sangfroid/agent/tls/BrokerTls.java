package org.sangfroid.agent.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.sangfroid.core.check.Checks;

/**
 * The agent's TLS settings for an {@code ssl://} broker, as PEM files.
 *
 * @param caFile the CA certificate(s) that signed the broker's certificate; the only ones
 *     trusted. Empty: the JVM's trust store (on Debian, the system's CAs).
 * @param certFile this agent's client certificate (its chain may follow), when the broker asks
 *     for one; comes with {@code keyFile}
 * @param keyFile the client certificate's private key, unencrypted
 */
public record BrokerTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
  public static final String CA_KEY = "broker.tls.caFile";
  public static final String CERT_KEY = "broker.tls.certFile";
  public static final String KEY_KEY = "broker.tls.keyFile";
  /** Only in memory: the key store never leaves this process. */
  private static final char[] IN_MEMORY = "sangfroid".toCharArray();

  public BrokerTls {
    Checks.requireNonNull(CA_KEY, caFile);
    Checks.requireNonNull(CERT_KEY, certFile);
    Checks.requireNonNull(KEY_KEY, keyFile);
    Checks.require(certFile.isPresent() == keyFile.isPresent(), CERT_KEY, certFile.orElse(null),
        "come with " + KEY_KEY + " (a client certificate needs its key)");
  }

  /** No files: trust the JVM's CAs, no client certificate. */
  public static BrokerTls systemDefaults() {
    return new BrokerTls(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** True when the agent presents a client certificate. */
  public boolean clientCertificate() {
    return certFile.isPresent();
  }

  /** Where the trusted CAs come from, for messages. */
  public String trustSource() {
    return caFile.map(f -> CA_KEY + " (" + f + ")").orElse("the system's trusted CAs");
  }

  /**
   * Reads the files and builds the socket factory: called at every connect, so a renewed
   * certificate is used without a restart.
   *
   * @throws TlsFileException if a file cannot be used
   */
  public SSLSocketFactory socketFactory() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile.isPresent()) {
        KeyStore cas = emptyStore();
        List<X509Certificate> certs = Pem.certificates(CA_KEY, caFile.get());
        for (int i = 0; i < certs.size(); i++) {
          cas.setCertificateEntry("ca-" + i, certs.get(i));
        }
        trust.init(cas);
      } else {
        trust.init((KeyStore) null);
      }
      KeyManager[] keys = null;
      if (certFile.isPresent()) {
        List<X509Certificate> chain = Pem.certificates(CERT_KEY, certFile.get());
        PrivateKey key = Pem.privateKey(KEY_KEY, keyFile.get());
        requireMatch(chain.get(0), key);
        KeyStore store = emptyStore();
        store.setKeyEntry("agent", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY);
        keys = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("TLS cannot be set up with " + this + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that every file can be used, as {@link #socketFactory()} will need them.
   *
   * @throws TlsFileException naming the first file that cannot
   */
  public void check() {
    caFile.ifPresent(f -> Pem.certificates(CA_KEY, f));
    if (certFile.isPresent()) {
      checkPair(certFile.get(), keyFile.get());
    }
  }

  /**
   * Checks that {@code keyFile} holds the private key of the first certificate of {@code certFile}.
   *
   * @throws TlsFileException if a file cannot be read, or the key is another one
   */
  public static void checkPair(Path certFile, Path keyFile) {
    new BrokerTls(Optional.empty(), Optional.of(certFile), Optional.of(keyFile))
        .requireMatch(Pem.certificates(CERT_KEY, certFile).get(0), Pem.privateKey(KEY_KEY, keyFile));
  }

  /** The key must be the certificate's: signs a test message and checks it with the certificate. */
  private void requireMatch(X509Certificate cert, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();  // Ed25519, Ed448, EdDSA: the key names its own scheme
    };
    boolean match;
    try {
      byte[] probe = "sangfroid key check".getBytes(StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(cert.getPublicKey());
      verify.update(probe);
      match = verify.verify(signature);
    } catch (GeneralSecurityException e) {
      match = false;  // different key types, or a scheme the certificate's key cannot check
    }
    if (!match) {
      throw new TlsFileException(KEY_KEY, keyFile.orElseThrow(), "be the private key of " + CERT_KEY + " ("
          + certFile.orElseThrow() + "), found another key");
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  @Override
  public String toString() {
    return "BrokerTls[caFile=" + caFile.map(Path::toString).orElse("(system CAs)") + ", certFile="
        + certFile.map(Path::toString).orElse("-") + ", keyFile=" + keyFile.map(Path::toString).orElse("-") + "]";
  }
}
