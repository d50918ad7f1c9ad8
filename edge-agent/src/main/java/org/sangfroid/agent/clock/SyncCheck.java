package org.sangfroid.agent.clock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the operating system has synchronised the wall clock (NTP). Asked at most once per
 * sampling tick until it says yes, then never again: once set, the kernel clock keeps time.
 *
 * <p>On Raspberry Pi OS (bookworm) systemd-timesyncd keeps the time: it creates
 * {@value #TIMESYNCD_FLAG} on its first successful synchronisation after boot (that file lives
 * in {@code /run}, which is emptied at every boot), see systemd-timesyncd.service(8). With chrony
 * or ntpd instead, {@code timedatectl show --property=NTPSynchronized --value} says {@code yes}
 * once the daemon has synchronised the kernel clock (the kernel's "unsynchronised" status flag
 * is clear).
 */
@FunctionalInterface
public interface SyncCheck {
  /** The file systemd-timesyncd creates once it has synchronised the clock. */
  String TIMESYNCD_FLAG = "/run/systemd/timesync/synchronized";

  /** True when the wall clock is synchronised. Never throws: when in doubt, false. */
  boolean synchronised();

  /** The wall clock is always right (a device with a battery-backed clock, or a test). */
  static SyncCheck always() {
    return () -> true;
  }

  /**
   * systemd-timesyncd's flag file, else {@code timedatectl} (so chrony and ntpd count too): the
   * default. The command runs only while the file is absent (see {@link TimeBase} for how often).
   */
  static SyncCheck auto() {
    SyncCheck file = timesyncd();
    SyncCheck systemd = timedatectl();
    return () -> file.synchronised() || systemd.synchronised();
  }

  /** systemd-timesyncd's flag file at its usual place. */
  static SyncCheck timesyncd() {
    return timesyncd(Path.of(TIMESYNCD_FLAG));
  }

  /** Synchronised when {@code flag} exists. */
  static SyncCheck timesyncd(Path flag) {
    return () -> Files.exists(flag);
  }

  /** Asks systemd whether the kernel clock is NTP-synchronised (chrony, ntpd, timesyncd). */
  static SyncCheck timedatectl() {
    return command(List.of("timedatectl", "show", "--property=NTPSynchronized", "--value"), Duration.ofSeconds(2));
  }

  /**
   * Synchronised when {@code command} prints {@code yes} within {@code timeout}. A command that
   * cannot be run, fails or takes longer counts as not synchronised (logged once).
   */
  static SyncCheck command(List<String> command, Duration timeout) {
    List<String> argv = List.copyOf(command);
    Logger log = LoggerFactory.getLogger(SyncCheck.class);
    AtomicBoolean warned = new AtomicBoolean();
    return () -> {
      try {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
          if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
          }
          String answer = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
          return p.exitValue() == 0 && answer.equals("yes");
        }
      } catch (IOException e) {
        if (warned.compareAndSet(false, true)) {
          log.warn("Cannot ask '{}' whether the clock is synchronised ({}); readings stay flagged unsynchronised"
              + " until it answers yes", String.join(" ", argv), e.getMessage());
        }
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }
}
