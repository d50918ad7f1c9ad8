package org.sangfroid.agent.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a failed TLS connect into what a technician can act on. Java's messages ("PKIX path
 * building failed: unable to find valid certification path to requested target") name the
 * mechanism, not the fix.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * What went wrong with TLS in {@code failure} (or any of its causes), or empty when it was
   * not TLS (the broker is down, the network is out).
   *
   * @param host the host of {@code broker.url}
   * @param now the device's time, epoch ms: a certificate "not yet valid" usually means the
   *     clock is not set
   */
  public static Optional<String> describe(Throwable failure, BrokerTls tls, String host, long now) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateNotYetValidException || t instanceof CertificateExpiredException) {
        boolean early = t instanceof CertificateNotYetValidException;
        return Optional.of("the broker's certificate (or its CA's) is " + (early ? "not valid yet" : "expired")
            + " at this device's time, " + Instant.ofEpochMilli(now)
            + (early ? ": this device's clock is probably not set yet (it has no battery clock and sets it from"
                + " the network); the agent connects once it is, readings wait in the outbox"
                : ": renew the broker's certificate, or check this device's clock"));
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      String lower = m.toLowerCase(Locale.ROOT);
      if (lower.contains("unable to find valid certification path") || t instanceof CertPathValidatorException) {
        return Optional.of("the broker's certificate is not signed by a CA this agent trusts: "
            + tls.trustSource() + " must hold the CA certificate that signed it");
      }
      if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
        return Optional.of("the broker's certificate is not made out to " + host + ": its subjectAltName must"
            + " name the host of broker.url exactly (a DNS name or an IP address, as written there)");
      }
      if (lower.contains("certificate_required")) {
        return Optional.of("the broker asks for a client certificate: set " + BrokerTls.CERT_KEY + " and "
            + BrokerTls.KEY_KEY);
      }
      if (lower.contains("certificate_expired")) {
        return Optional.of("the broker refused this agent's client certificate as expired: issue a new one");
      }
      if (lower.contains("bad_certificate") || lower.contains("unknown_ca") || lower.contains("certificate_unknown")
          || lower.contains("access_denied")) {
        return Optional.of("the broker refused " + (tls.clientCertificate()
            ? "this agent's client certificate (" + tls.certFile().orElseThrow() + "): it is not signed by a CA"
                + " the broker trusts, or was revoked"
            : "the connection without a client certificate: set " + BrokerTls.CERT_KEY + " and "
                + BrokerTls.KEY_KEY));
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return Optional.of("the TLS handshake with the broker failed: " + m
            + " (is broker.url's port a TLS port, such as 8883?)");
      }
    }
    return Optional.empty();
  }
}
