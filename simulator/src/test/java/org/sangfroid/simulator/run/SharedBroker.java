package org.sangfroid.simulator.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sangfroid.gateway.broker.EmbeddedBroker;

/**
 * One embedded MQTT broker for the whole test JVM (it takes seconds to start and stop): every
 * scenario run starts its own gateway against it, as {@link ScenarioRunner} allows. Its files go
 * to /dev/shm when there is one (no disk waits in the tests' timing) and are removed when the JVM
 * stops.
 */
public final class SharedBroker {
  private static EmbeddedBroker broker;

  private SharedBroker() {}

  /** The broker's URL, starting it on first use; it stops when the JVM does. */
  public static synchronized String url() {
    if (broker == null) {
      Path dir;
      try {
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "sangfroid-sim-broker-")
            : Files.createTempDirectory("sangfroid-sim-broker-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedBroker b = EmbeddedBroker.start("127.0.0.1", 0, dir);
      broker = b;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        b.close();
        delete(dir);
      }, "sangfroid-test-broker-stop"));
    }
    return broker.url();
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: the system cleans it up eventually
    }
  }
}
