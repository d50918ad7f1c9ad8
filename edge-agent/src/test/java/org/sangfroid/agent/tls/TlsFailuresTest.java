package org.sangfroid.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The messages for TLS failures a loopback broker cannot stage: certificates judged at a wrong
 * device time (a Pi boots without a clock). The others are checked against a real broker in
 * MqttPublisherTlsIT.
 */
class TlsFailuresTest {
  private static final BrokerTls SYSTEM = BrokerTls.systemDefaults();
  private static final long BOOT = Instant.parse("1970-01-01T00:00:42Z").toEpochMilli();

  private static Throwable handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path validation failed: " + cause);
    e.initCause(new CertPathValidatorException("validity check failed", cause));
    return new IOException("Unable to connect to server", e);
  }

  @Test
  void describe_certificateNotYetValid_pointsAtTheDeviceClock() {
    Optional<String> m = TlsFailures.describe(handshake(new CertificateNotYetValidException("NotBefore: 2026")),
        SYSTEM, "mqtt.example.org", BOOT);

    assertThat(m).hasValue("the broker's certificate (or its CA's) is not valid yet at this device's time,"
        + " 1970-01-01T00:00:42Z: this device's clock is probably not set yet (it has no battery clock and sets it"
        + " from the network); the agent connects once it is, readings wait in the outbox");
  }

  @Test
  void describe_notTls_empty() {
    assertThat(TlsFailures.describe(new IOException("x", new ConnectException("Connection refused")), SYSTEM,
        "mqtt.example.org", BOOT)).isEmpty();
  }

  @Test
  void describe_untrustedWithoutCaFile_namesTheSystemStore() {
    Throwable e = new IOException("x", new SSLHandshakeException(
        "PKIX path building failed: unable to find valid certification path to requested target"));

    assertThat(TlsFailures.describe(e, SYSTEM, "h", BOOT)).hasValue("the broker's certificate is not signed by a CA"
        + " this agent trusts: the system's trusted CAs must hold the CA certificate that signed it");
  }
}
