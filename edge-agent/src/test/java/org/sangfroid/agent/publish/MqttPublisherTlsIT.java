package org.sangfroid.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.agent.testkit.TestPki;
import org.sangfroid.agent.tls.BrokerTls;
import org.sangfroid.core.wire.Quality;

/**
 * Issue 3, TLS to the broker: the publisher against HiveMQ CE's TLS listeners on loopback, with
 * PEM files as an operator installs them. The test gateway listens on the plain listener of the
 * same broker.
 */
@ExtendWith(BrokerExtension.class)
class MqttPublisherTlsIT {
  private static final String SITE = "site-tls";
  private static final long T0 = 1_768_464_000_000L;

  @TempDir Path dataDir;
  private TestBroker broker;
  private TestPki pki;
  private String agent;
  private Outbox outbox;
  private ExecutorService thread;
  private MqttPublisher publisher;
  private TestGateway gateway;

  @BeforeEach
  void setUp(TestBroker broker, TestInfo test) {
    this.broker = broker;
    this.pki = broker.pki();
    String name = test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    this.agent = ("tls-" + name).substring(0, Math.min(name.length() + 4, 60));
    outbox = Outbox.open(dataDir);
    outbox.append(List.of(new Measurement(T0, "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true)));
    thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-publisher"));
    gateway = TestGateway.connect(broker.url(), SITE, agent);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (publisher != null) {
      publisher.close();
    }
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
    outbox.close();
    gateway.close();
  }

  private void start(String url, BrokerTls tls) {
    MqttPublisher.Settings settings = new MqttPublisher.Settings(url, SITE, agent, Optional.empty(),
        Optional.empty(), 500, Duration.ofSeconds(30), MqttPublisher.DEFAULT_MAX_BATCHES_IN_FLIGHT,
        Duration.ofMillis(200), Duration.ofSeconds(1), "test-1.0", T0, MqttPublisher.DEFAULT_STATUS_INTERVAL,
        Optional.of(tls));
    publisher = new MqttPublisher(settings, outbox, Clock.systemUTC(), new SimpleMeterRegistry());
    publisher.start(thread);
  }

  private static BrokerTls trusting(TestPki.Issued ca) {
    return new BrokerTls(Optional.of(ca.certFile()), Optional.empty(), Optional.empty());
  }

  private String problemOnceRefused() {
    await().atMost(Duration.ofSeconds(15)).until(() -> publisher.connectProblem().isPresent());
    assertThat(publisher.isConnected()).isFalse();
    return publisher.connectProblem().orElseThrow();
  }

  @Test
  void tls_brokerSignedByTheCaFile_readingsArriveOverTls() {
    start(broker.tlsUrl(), trusting(pki.ca()));

    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.seqs().contains(1L));
    assertThat(publisher.isConnected()).isTrue();
    assertThat(publisher.connectProblem()).isEmpty();
  }

  @Test
  void tls_brokerSignedByAnotherCa_refusedSayingWhichCaFileToFix() {
    start(broker.tlsUrl(), trusting(pki.otherCa()));

    assertThat(problemOnceRefused()).isEqualTo("Cannot connect to " + broker.tlsUrl() + ": the broker's certificate"
        + " is not signed by a CA this agent trusts: broker.tls.caFile (" + pki.otherCa().certFile()
        + ") must hold the CA certificate that signed it");
    assertThat(gateway.seqs()).isEmpty();
  }

  @Test
  void tls_hostNotNamedInTheBrokerCertificate_refused() {
    String byName = broker.tlsUrl().replace("127.0.0.1", "localhost");  // the certificate names 127.0.0.1 only
    start(byName, trusting(pki.ca()));

    assertThat(problemOnceRefused()).isEqualTo("Cannot connect to " + byName + ": the broker's certificate is not"
        + " made out to localhost: its subjectAltName must name the host of broker.url exactly (a DNS name or an"
        + " IP address, as written there)");
  }

  @Test
  void clientCertificate_requiredAndGiven_readingsArrive() {
    start(broker.clientCertificateUrl(), new BrokerTls(Optional.of(pki.ca().certFile()),
        Optional.of(pki.client().certFile()), Optional.of(pki.client().keyFile())));

    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.seqs().contains(1L));
    assertThat(publisher.isConnected()).isTrue();
  }

  @Test
  void clientCertificate_requiredButNotGiven_refusedSayingWhatToSet() {
    start(broker.clientCertificateUrl(), trusting(pki.ca()));

    assertThat(problemOnceRefused()).contains("set broker.tls.certFile and broker.tls.keyFile");
    assertThat(gateway.seqs()).isEmpty();
  }
}
