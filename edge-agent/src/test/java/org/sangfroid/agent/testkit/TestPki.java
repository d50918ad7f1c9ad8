package org.sangfroid.agent.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for the TLS tests, made in-process (Bouncy Castle's builder, the JDK's crypto; no
 * provider is registered, so the code under test sees a plain JDK): a CA, certificates it signs
 * for the broker (subjectAltName IP 127.0.0.1 only, so "localhost" does not match) and for an
 * agent, and a second CA that signed nothing the broker uses. Files are PEM as an operator would
 * install them, keys mode 0600.
 */
public final class TestPki {
  /** The password of the PKCS#12 stores handed to HiveMQ. */
  public static final String STORE_PASSWORD = "test-store";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final Issued ca;
  private final Issued otherCa;
  private final Issued server;
  private final Issued client;

  /** A certificate and its key, in memory and as PEM files. */
  public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {}

  private TestPki(Path dir) throws GeneralSecurityException, IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    Instant now = Instant.now();
    ca = issue("ca", "CN=Sangfroid test CA", null, now, true, null);
    otherCa = issue("other-ca", "CN=Some other CA", null, now, true, null);
    server = issue("server", "CN=127.0.0.1", ca, now, false, KeyPurposeId.id_kp_serverAuth);
    client = issue("client", "CN=casa-01/agent-tls", ca, now, false, KeyPurposeId.id_kp_clientAuth);
  }

  /** Makes the certificates under {@code dir}. */
  public static TestPki create(Path dir) {
    try {
      return new TestPki(dir);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("test certificates cannot be made", e);
    }
  }

  public Issued ca() {
    return ca;
  }

  public Issued otherCa() {
    return otherCa;
  }

  public Issued server() {
    return server;
  }

  public Issued client() {
    return client;
  }

  /** The broker's key and certificate chain, as a PKCS#12 store for HiveMQ's keystore. */
  public Path serverStore() {
    return store("server.p12", server, false);
  }

  /** The CA, as a PKCS#12 trust store for HiveMQ's client-certificate listener. */
  public Path trustStore() {
    return store("trust.p12", ca, true);
  }

  /** {@code key} as PEM in the traditional OpenSSL layout: PKCS#1 for RSA, SEC1 for EC. */
  public static String traditionalPem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * An EC key pair as SEC1 PEM ({@code BEGIN EC PRIVATE KEY}) naming its curve and holding its
   * public key, as {@code openssl ecparam -genkey} writes it.
   */
  public static String sec1Pem(KeyPair pair, String curveOid) {
    try {
      ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
          key.getParams().getOrder().bitLength(), key.getS(),
          SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData(),
          new ASN1ObjectIdentifier(curveOid));
      return pem("EC PRIVATE KEY", sec1.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code key} as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public static String pkcs8Pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private Path store(String name, Issued entry, boolean trustOnly) {
    Path file = dir.resolve(name);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      if (trustOnly) {
        ks.setCertificateEntry("ca", entry.certificate());
      } else {
        ks.setKeyEntry("broker", entry.key(), STORE_PASSWORD.toCharArray(),
            new X509Certificate[] {entry.certificate(), ca.certificate()});
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, STORE_PASSWORD.toCharArray());
      }
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(String name, String subject, Issued issuer, Instant from, boolean isCa,
      KeyPurposeId purpose) throws GeneralSecurityException, IOException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    X500Name issuerName = issuer == null ? new X500Name(subject)
        : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    PrivateKey signer = issuer == null ? pair.getPrivate() : issuer.key();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from.minus(Duration.ofMinutes(5))),
        Date.from(from.plus(Duration.ofDays(1))), new X500Name(subject), pair.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (purpose == KeyPurposeId.id_kp_serverAuth) {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
      }
    }
    X509Certificate cert;
    try {
      cert = new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
    Path certFile = Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", cert.getEncoded()));
    Path keyFile = Files.writeString(dir.resolve(name + ".key"), pkcs8Pem(pair.getPrivate()));
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    return new Issued(cert, pair.getPrivate(), certFile, keyFile);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
