package org.sangfroid.agent.testkit;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HiveMQ CE embedded, in-process, on free loopback ports, with Sangfroid's own config: no
 * usage statistics, in-memory persistence, large per-client queues. Three listeners: plain MQTT
 * ({@link #url()}), MQTT over TLS ({@link #tlsUrl()}) and MQTT over TLS that requires a client
 * certificate ({@link #clientCertificateUrl()}), with certificates from {@link #pki()}. One per
 * test JVM (see {@link BrokerExtension}); it can be stopped and started again on the same ports.
 */
public final class TestBroker implements AutoCloseable {
  private final Path home;
  private final int port;
  private final int tlsPort;
  private final int clientCertificatePort;
  private final TestPki pki;
  private EmbeddedHiveMQ hivemq;
  private volatile ClientService clients;

  private TestBroker(Path home, int port, int tlsPort, int clientCertificatePort, TestPki pki) {
    this.home = home;
    this.port = port;
    this.tlsPort = tlsPort;
    this.clientCertificatePort = clientCertificatePort;
    this.pki = pki;
  }

  private EmbeddedHiveMQ build() {
    return EmbeddedHiveMQ.builder()
        .withConfigurationFolder(home.resolve("conf"))
        .withDataFolder(home.resolve("data"))
        .withExtensionsFolder(home.resolve("extensions"))
        .withEmbeddedExtension(EmbeddedExtension.builder()
            .withId("sangfroid-test-admin")
            .withName("Sangfroid test admin")
            .withVersion("1")
            .withExtensionMain(new Admin())
            .build())
        // Keep our logback configuration; HiveMQ would otherwise install its own.
        .withoutLoggingBootstrap()
        .build();
  }

  /** Starts a broker on a free loopback port. */
  public static TestBroker start() {
    try {
      Path home = Files.createTempDirectory("sangfroid-hivemq");
      for (String dir : new String[] {"conf", "data", "extensions"}) {
        Files.createDirectories(home.resolve(dir));
      }
      int port = freePort();
      int tlsPort = freePort();
      int clientCertificatePort = freePort();
      TestPki pki = TestPki.create(home.resolve("pki"));
      Files.writeString(home.resolve("conf/config.xml"), """
          <?xml version="1.0"?>
          <hivemq>
            <listeners>
              <tcp-listener>
                <port>%d</port>
                <bind-address>127.0.0.1</bind-address>
              </tcp-listener>
              <tls-tcp-listener>
                <port>%d</port>
                <bind-address>127.0.0.1</bind-address>
                <tls>
                  <keystore>
                    <path>%s</path>
                    <password>%s</password>
                    <private-key-password>%4$s</private-key-password>
                  </keystore>
                  <client-authentication-mode>NONE</client-authentication-mode>
                </tls>
              </tls-tcp-listener>
              <tls-tcp-listener>
                <port>%d</port>
                <bind-address>127.0.0.1</bind-address>
                <tls>
                  <keystore>
                    <path>%3$s</path>
                    <password>%4$s</password>
                    <private-key-password>%4$s</private-key-password>
                  </keystore>
                  <truststore>
                    <path>%s</path>
                    <password>%4$s</password>
                  </truststore>
                  <client-authentication-mode>REQUIRED</client-authentication-mode>
                </tls>
              </tls-tcp-listener>
            </listeners>
            <mqtt>
              <queued-messages>
                <max-queue-size>100000</max-queue-size>
              </queued-messages>
            </mqtt>
            <persistence>
              <mode>in-memory</mode>
            </persistence>
            <anonymous-usage-statistics>
              <enabled>false</enabled>
            </anonymous-usage-statistics>
          </hivemq>
          """.formatted(port, tlsPort, pki.serverStore(), TestPki.STORE_PASSWORD, clientCertificatePort,
              pki.trustStore()));
      TestBroker broker = new TestBroker(home, port, tlsPort, clientCertificatePort, pki);
      broker.startAgain();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** {@code tcp://127.0.0.1:PORT} */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** {@code ssl://127.0.0.1:PORT}: TLS with {@link TestPki#server()}'s certificate, no client certificate. */
  public String tlsUrl() {
    return "ssl://127.0.0.1:" + tlsPort;
  }

  /** {@code ssl://127.0.0.1:PORT}: TLS that requires a client certificate signed by {@link TestPki#ca()}. */
  public String clientCertificateUrl() {
    return "ssl://127.0.0.1:" + clientCertificatePort;
  }

  /** The certificates of the TLS listeners, and a client's. */
  public TestPki pki() {
    return pki;
  }

  /** Stops the broker; clients lose their connection. */
  public synchronized void stop() {
    try {
      hivemq.close();
    } catch (Exception e) {
      throw new IllegalStateException("HiveMQ did not stop", e);
    }
    hivemq = null;
  }

  /**
   * Starts a broker again on the same port, empty (in-memory persistence). A new instance:
   * HiveMQ CE 2025.5 cannot start a stopped instance with in-memory persistence (its metric
   * "queued-messages.in-memory.total-size" is registered twice).
   */
  public synchronized void startAgain() {
    if (hivemq == null) {
      hivemq = build();
      join(hivemq.start());
    }
  }

  /** Drops a client's connection as a network failure would: the broker publishes its will. */
  public void cutConnection(String clientId) {
    join(clients.disconnectClient(clientId, false));
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("HiveMQ did not answer", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (hivemq != null) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Gives the test access to HiveMQ's client service, to cut connections. */
  private final class Admin implements ExtensionMain {
    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
      clients = Services.clientService();
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {}
  }
}
