package org.sangfroid.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, with the JDK alone (no Bouncy Castle on the
 * agent). Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}: what {@code openssl genpkey} and
 * {@code sangfroid-credentials} write), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}: what {@code openssl ecparam -genkey} writes); the last two are
 * rewrapped as PKCS#8. Keys protected by a passphrase are refused: the agent starts unattended.
 *
 * <p>Errors are {@link TlsFileException}s that say what the file must hold, never its content.
 */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
  /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  /** id-ecPublicKey, 1.2.840.10045.2.1. */
  private static final byte[] EC_OID = hex("06072a8648ce3d0201");
  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int PARAMETERS = 0xA0;

  private Pem() {}

  /**
   * The certificates in {@code file}, in file order (a chain: the agent's own first).
   *
   * @param key the setting that names the file, for messages ({@code broker.tls.caFile})
   * @throws TlsFileException if the file cannot be read or holds no certificate
   */
  public static List<X509Certificate> certificates(String key, Path file) {
    String text = read(key, file, "PEM certificates");
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          out.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(base64(key, file, m.group(2)))));
        }
      }
    } catch (CertificateException e) {
      throw new TlsFileException(key, file, "hold PEM certificates, found one that cannot be read ("
          + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw new TlsFileException(key, file, "hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(out);
  }

  /**
   * The private key in {@code file}.
   *
   * @throws TlsFileException if the file cannot be read, holds no key, or an encrypted one
   */
  public static PrivateKey privateKey(String key, Path file) {
    String text = read(key, file, "a PEM private key");
    if (text.contains("ENCRYPTED")) {
      throw new TlsFileException(key, file, "hold a private key without a passphrase (the agent starts unattended),"
          + " found an encrypted one; remove the passphrase with: openssl pkey -in KEY -out KEY.new");
    }
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = switch (type) {
        case "PRIVATE KEY" -> base64(key, file, m.group(2));
        case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, base64(key, file, m.group(2)));
        case "EC PRIVATE KEY" -> sec1ToPkcs8(key, file, base64(key, file, m.group(2)));
        default -> null;  // EC PARAMETERS and the like come before some keys
      };
      if (der != null) {
        return decode(key, file, der);
      }
    }
    throw new TlsFileException(key, file, "hold a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or"
        + " EC PRIVATE KEY)");
  }

  private static PrivateKey decode(String key, Path file, byte[] pkcs8) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm
      }
    }
    throw new TlsFileException(key, file, "hold an RSA, EC or Ed25519 private key, found one Java cannot read");
  }

  private static String read(String key, Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(key, file, "be a file the agent can read, holding " + what + ", found no such file");
    } catch (AccessDeniedException e) {
      throw new TlsFileException(key, file, "be a file the agent can read, holding " + what
          + ", found no permission to read it");
    } catch (IOException | RuntimeException e) {
      // Not the exception's message: a decoding error could quote the file.
      throw new TlsFileException(key, file, "be a file the agent can read, holding " + what + ", found "
          + e.getClass().getSimpleName());
    }
  }

  private static byte[] base64(String key, Path file, String body) {
    try {
      return Base64.getMimeDecoder().decode(body.lines().filter(l -> !l.contains(":")).reduce("", String::concat));
    } catch (IllegalArgumentException e) {
      throw new TlsFileException(key, file, "hold PEM blocks of base64 text, found a block that is not");
    }
  }

  /** PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return tlv(SEQUENCE, concat(new byte[] {INTEGER, 1, 0}, algorithm, tlv(OCTET_STRING, key)));
  }

  /**
   * SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING d, [0] curve OID, [1] public key }. The
   * curve moves into the PKCS#8 algorithm; the SEC1 structure stays as the key.
   */
  private static byte[] sec1ToPkcs8(String key, Path file, byte[] sec1) {
    try {
      Der seq = new Der(sec1, 0).expect(SEQUENCE);
      Der version = new Der(sec1, seq.contentStart).expect(INTEGER);
      Der d = new Der(sec1, version.end).expect(OCTET_STRING);
      Der params = new Der(sec1, d.end).expect(PARAMETERS);
      byte[] curve = Arrays.copyOfRange(sec1, params.contentStart, params.end);
      return pkcs8(tlv(SEQUENCE, concat(EC_OID, curve)), sec1);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new TlsFileException(key, file, "hold an EC private key that names its curve, found one that does not"
          + " (convert it with: openssl pkey -in KEY -out KEY.new)");
    }
  }

  /** One DER element at {@code start}: its tag, where its content starts and where it ends. */
  private static final class Der {
    final int tag;
    final int contentStart;
    final int end;

    Der(byte[] b, int start) {
      tag = b[start] & 0xFF;
      int first = b[start + 1] & 0xFF;
      int length;
      int at = start + 2;
      if (first < 0x80) {
        length = first;
      } else {
        int n = first & 0x7F;
        if (n == 0 || n > 3) {
          throw new IllegalArgumentException("length of " + n + " bytes");
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = length << 8 | (b[at++] & 0xFF);
        }
      }
      contentStart = at;
      end = at + length;
      if (end > b.length) {
        throw new IllegalArgumentException("element longer than its data");
      }
    }

    Der expect(int expected) {
      if (tag != expected) {
        throw new IllegalArgumentException("tag " + tag + " instead of " + expected);
      }
      return this;
    }
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
