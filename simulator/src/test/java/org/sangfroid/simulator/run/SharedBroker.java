package org.sangfroid.simulator.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sangfroid.gateway.broker.EmbeddedBroker;

/**
 * One embedded MQTT broker for the whole test JVM (it takes seconds to start and stop): every
 * scenario run starts its own gateway against it, as {@link ScenarioRunner} allows.
 */
public final class SharedBroker {
  private static EmbeddedBroker broker;

  private SharedBroker() {}

  /** The broker's URL, starting it on first use; it stops when the JVM does. */
  public static synchronized String url() {
    if (broker == null) {
      try {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "sangfroid-sim-broker-")
            : Files.createTempDirectory("sangfroid-sim-broker-");
        broker = EmbeddedBroker.start("127.0.0.1", 0, dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedBroker b = broker;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "sangfroid-test-broker-stop"));
    }
    return broker.url();
  }
}
