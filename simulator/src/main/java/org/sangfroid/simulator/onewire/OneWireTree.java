package org.sangfroid.simulator.onewire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.sangfroid.core.check.Checks;

/**
 * Writes the Linux w1-therm sysfs tree ({@code /sys/bus/w1/devices}) into an ordinary folder:
 *
 * <pre>
 *   {dir}/w1_bus_master1/w1_master_slaves   one ROM id per line, or "not found." when none
 *   {dir}/28-0000000000a1/w1_slave           two lines, exactly as the kernel prints them
 * </pre>
 *
 * <p>Every file is written to a hidden temporary file in the same folder and renamed over the
 * old one, so a reader sees the old content or the new, never half of a file. A disconnected
 * probe's folder is renamed away and then deleted, so it vanishes at once.
 *
 * <p>Thread-safe (methods are synchronized). Methods throw {@link UncheckedIOException} when the
 * file system refuses a write.
 */
public final class OneWireTree {
  /** The bus master's folder name. */
  public static final String MASTER = "w1_bus_master1";
  /** The master's list of slaves. */
  public static final String MASTER_SLAVES = "w1_master_slaves";
  /** Each probe's reading file. */
  public static final String W1_SLAVE = "w1_slave";

  private final Path dir;
  /** Per probe, the last read whose CRC matched: the kernel's {@code family_data}. */
  private final Map<RomId, Scratchpad> lastGood = new HashMap<>();

  /** A tree rooted at {@code dir}; nothing is written until a write method is called. */
  public OneWireTree(Path dir) {
    this.dir = Checks.requireNonNull("dir", dir);
  }

  /** The root folder (the simulated {@code /sys/bus/w1/devices}). */
  public Path dir() {
    return dir;
  }

  /** Where {@code rom}'s {@code w1_slave} file lives. */
  public Path slaveFile(RomId rom) {
    return dir.resolve(rom.value()).resolve(W1_SLAVE);
  }

  /** Where {@code w1_master_slaves} lives. */
  public Path masterSlavesFile() {
    return dir.resolve(MASTER).resolve(MASTER_SLAVES);
  }

  /**
   * Writes every device's state, then {@code w1_master_slaves} listing the devices that are on
   * the bus (all but {@link DeviceState.Disconnected}), in the map's iteration order.
   */
  public synchronized void write(Map<RomId, DeviceState> devices) {
    List<RomId> present = new ArrayList<>();
    devices.forEach(
        (rom, state) -> {
          write(rom, state);
          if (!(state instanceof DeviceState.Disconnected)) {
            present.add(rom);
          }
        });
    writeMasterSlaves(present);
  }

  /** Writes one device's state (does not touch {@code w1_master_slaves}). */
  public synchronized void write(RomId rom, DeviceState state) {
    if (state instanceof DeviceState.Reading r) {
      writeRead(rom, Scratchpad.ofCelsius(r.celsius()));
    } else if (state instanceof DeviceState.CrcError c) {
      writeRead(rom, Scratchpad.ofCelsius(c.celsius()).withCorruptCrc());
    } else if (state instanceof DeviceState.PowerOnReset) {
      writeRead(rom, Scratchpad.POWER_ON);
    } else if (state instanceof DeviceState.EmptyRead) {
      atomicWrite(slaveFile(rom), "");
    } else {
      disconnect(rom);
    }
  }

  /**
   * Writes what the kernel shows after reading {@code read} from {@code rom}: a good read if its
   * CRC matches, otherwise a {@code crc=.. NO} file.
   */
  public synchronized void writeRead(RomId rom, Scratchpad read) {
    Scratchpad good = lastGood.getOrDefault(rom, Scratchpad.ZERO);
    if (read.crcValid()) {
      good = read;
      lastGood.put(rom, read);
    }
    atomicWrite(slaveFile(rom), w1SlaveText(read, good));
  }

  /** Removes {@code rom}'s folder, as the kernel does when the probe leaves the bus. */
  public synchronized void disconnect(RomId rom) {
    lastGood.remove(rom);
    Path folder = dir.resolve(rom.value());
    if (!Files.exists(folder)) {
      return;
    }
    Path doomed = dir.resolve("." + rom.value() + ".removed");
    try {
      deleteTree(doomed);
      Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(doomed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + folder, e);
    }
  }

  /** Writes {@code w1_master_slaves} listing {@code present}, one per line. */
  public synchronized void writeMasterSlaves(Collection<RomId> present) {
    atomicWrite(masterSlavesFile(), masterSlavesText(present));
  }

  /**
   * The two lines of {@code w1_slave} as {@code w1_slave_show} prints them: the bytes read,
   * {@code crc=} with the CRC computed over bytes 0–7 and YES or NO; then the last good read's
   * bytes and {@code t=} in millidegrees from the bytes read.
   *
   * @param read the bytes just read
   * @param lastGood the last read whose CRC matched ({@link Scratchpad#ZERO} if none); ignored
   *     when {@code read} itself is good
   */
  public static String w1SlaveText(Scratchpad read, Scratchpad lastGood) {
    boolean ok = read.crcValid();
    Scratchpad second = ok ? read : lastGood;
    return read.hex()
        + ": crc="
        + String.format(Locale.ROOT, "%02x", read.computedCrc())
        + (ok ? " YES" : " NO")
        + "\n"
        + second.hex()
        + "t="
        + read.millidegrees()
        + "\n";
  }

  /** {@code w1_master_slaves}: one id per line, or {@code not found.} when the bus is empty. */
  public static String masterSlavesText(Collection<RomId> present) {
    if (present.isEmpty()) {
      return "not found.\n";
    }
    StringBuilder out = new StringBuilder();
    present.forEach(rom -> out.append(rom.value()).append('\n'));
    return out.toString();
  }

  private static void atomicWrite(Path target, String text) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
