package org.sangfroid.demo;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.hivemq.HiveMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A standalone MQTT broker that a test can stop and start again on the same loopback port:
 * HiveMQ CE in a container where a Docker engine answers, the embedded HiveMQ CE otherwise,
 * so the same tests run on both.
 */
final class TestBroker implements AutoCloseable {
  private static final boolean DOCKER = dockerAnswers();

  private final int port;
  private final Path dir;
  private EmbeddedBroker embedded;
  private HiveMQContainer container;

  private TestBroker(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  static TestBroker start(Path dir) {
    TestBroker broker = new TestBroker(freePort(), dir);
    broker.start();
    return broker;
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Starts the broker (again), on the same port. */
  void start() {
    if (!DOCKER) {
      embedded = EmbeddedBroker.start("127.0.0.1", port, dir);
    } else if (container == null) {
      container = new HiveMQContainer(DockerImageName.parse("hivemq/hivemq-ce").withTag("2025.5"));
      container.withCreateContainerCmdModifier(cmd -> cmd.withHostConfig(HostConfig.newHostConfig()
          .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(1883)))));
      container.start();
    } else {
      // Restart the same container: its fixed port binding survives, unlike a new container's.
      container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
    }
  }

  /** Stops the broker; clients see the connection drop. */
  void stop() {
    if (embedded != null) {
      embedded.close();
      embedded = null;
    } else if (container != null) {
      container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
    }
  }

  @Override
  public void close() {
    stop();
    if (container != null) {
      container.stop();
      container = null;
    }
  }
}
