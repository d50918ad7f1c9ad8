package org.sangfroid.agent.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** A fake {@code /sys/bus/w1/devices} tree in a temp folder, written like the w1-therm driver does. */
public final class FakeOneWire {
  private final Path root;

  public FakeOneWire(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("w1_bus_master1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The devices folder. */
  public Path path() {
    return root;
  }

  /** A probe that answers with a good CRC and {@code celsius}. */
  public FakeOneWire probe(String rom, double celsius) {
    long milli = Math.round(celsius * 1000);
    String bytes = "72 01 4b 46 7f ff 0e 10 57";
    return raw(rom, String.format(Locale.ROOT, "%s : crc=57 YES%n%s t=%d%n", bytes, bytes, milli));
  }

  /** A probe whose {@code w1_slave} holds exactly {@code content}. */
  public FakeOneWire raw(String rom, String content) {
    try {
      Path dir = Files.createDirectories(root.resolve(rom));
      Files.writeString(dir.resolve("w1_slave"), content, StandardCharsets.US_ASCII);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The probe is unplugged: the kernel removes its folder. */
  public FakeOneWire unplug(String rom) {
    try (Stream<Path> files = Files.walk(root.resolve(rom))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
