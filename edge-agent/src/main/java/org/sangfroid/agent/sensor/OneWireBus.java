package org.sangfroid.agent.sensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The Linux 1-Wire sysfs folder, where the kernel lists one sub-folder per probe it found. */
public final class OneWireBus {
  /** Where Raspberry Pi OS (w1-gpio overlay) lists 1-Wire devices. */
  public static final Path DEFAULT_PATH = Path.of("/sys/bus/w1/devices");

  private OneWireBus() {}

  /**
   * The ROM ids of the DS18B20 probes present under {@code bus}, sorted; empty when the folder
   * is missing or unreadable (no 1-Wire driver loaded). Blocking file-system calls only.
   */
  public static List<String> discover(Path bus) {
    if (!Files.isDirectory(bus)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(bus)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> Ds18b20Sensor.ROM_ID.matcher(name).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
