package org.sangfroid.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/pi/provision.sh: clean for shellcheck, and run with {@code --root} against a folder
 * laid out like a fresh Raspberry Pi OS (bookworm) root. Commands for the live system
 * (apt-get, systemctl, raspi-config) are only printed in that mode, so nothing here touches
 * the machine running the test.
 */
class ProvisionIT {
  static final Path PI = Path.of("pi");
  static final Path SCRIPT = PI.resolve("provision.sh").toAbsolutePath();

  /** /boot/firmware/config.txt as a fresh Raspberry Pi OS Lite (bookworm, arm64) has it. */
  static final String STOCK_CONFIG = """
      # For more options and information see
      # http://rptl.io/configtxt
      # Some settings may impact device functionality. See link above for details

      # Uncomment some or all of these to enable the optional hardware interfaces
      #dtparam=i2c_arm=on
      #dtparam=i2s=on
      #dtparam=spi=on

      # Enable audio (loads snd_bcm2835)
      dtparam=audio=on

      # Additional overlays and parameters are documented
      # /boot/firmware/overlays/README

      # Automatically load overlays for detected cameras
      camera_auto_detect=1

      # Automatically load overlays for detected DSI displays
      display_auto_detect=1

      # Automatically load initramfs files, if found
      auto_initramfs=1

      # Enable DRM VC4 V3D driver
      dtoverlay=vc4-kms-v3d
      max_framebuffers=2

      # Don't have the firmware create an initial video= setting in cmdline.txt.
      # Use the kernel's default instead.
      disable_fw_kms_setup=1

      # Run in 64-bit mode
      arm_64bit=1

      # Disable compensation for displays with overscan
      disable_overscan=1

      # Run as fast as firmware / board allows
      arm_boost=1

      [cm4]
      # Enable host mode on the 2711 built-in XHCI USB controller.
      # This line should be removed if the legacy DWC2 controller is required
      # (e.g. for USB device mode) or if USB support is not required.
      otg_mode=1

      [cm5]
      dtoverlay=dwc2,dr_mode=host

      [all]
      """;

  static final String STOCK_CMDLINE =
      "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait"
          + " quiet init=/usr/lib/raspberrypi-sys-mods/firstboot\n";

  static final String STOCK_FSTAB = """
      proc            /proc           proc    defaults          0       0
      PARTUUID=4e639091-01  /boot/firmware  vfat    defaults          0       2
      PARTUUID=4e639091-02  /               ext4    defaults,noatime  0       1
      """;

  static final String SANGFROID_BLOCK = """

      # Sangfroid edge device (deploy/pi/provision.sh): 1-Wire probes on GPIO4, SPI, I2C, hardware watchdog.
      [all]
      dtoverlay=w1-gpio,gpiopin=4
      dtparam=spi=on
      dtparam=i2c_arm=on
      dtparam=watchdog=on
      """;

  static final String WATCHDOG_DROP_IN = """
      # Sangfroid edge device (deploy/pi/provision.sh).
      # systemd feeds the Raspberry Pi's hardware watchdog; if the system hangs for longer than
      # RuntimeWatchdogSec, the board resets itself and the agent starts again.
      [Manager]
      RuntimeWatchdogSec=14s
      RebootWatchdogSec=2min
      """;

  @TempDir Path tmp;
  Path root;
  Path deb;

  /** Builds the stand-in for a fresh Pi's root file system, and a package file to install. */
  @BeforeEach
  void freshPi() throws IOException {
    root = tmp.resolve("pi-root");
    write(root.resolve("boot/firmware/config.txt"), STOCK_CONFIG);
    write(root.resolve("boot/firmware/cmdline.txt"), STOCK_CMDLINE);
    write(root.resolve("etc/fstab"), STOCK_FSTAB);
    write(root.resolve("etc/hostname"), "raspberrypi\n");
    Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.createDirectories(root.resolve("usr/lib/systemd/system"));
    write(root.resolve("usr/lib/systemd/system/systemd-timesyncd.service"), "[Unit]\nDescription=Network Time Synchronization\n");
    Files.createDirectories(root.resolve("var/lib"));
    deb = tmp.resolve("packages/sangfroid-agent_0.1.0_all.deb");
    write(deb, "not really a package: apt-get is only printed with --root\n");
  }

  // ---- shellcheck ----

  @Test
  void shellcheck_findsNothingInTheProvisioningScripts() throws Exception {
    if (PackageTools.which("shellcheck").isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("shellcheck is not installed; CI must install the Debian package shellcheck (apt-get install shellcheck)");
      }
      assumeTrue(false, "shellcheck is not installed (Debian package shellcheck: apt-get install shellcheck); skipped");
    }
    List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style", "--shell=bash"));
    try (Stream<Path> files = Files.walk(PI)) {
      files.filter(f -> f.toString().endsWith(".sh")).map(f -> f.toAbsolutePath().toString()).sorted()
          .forEach(command::add);
    }
    assertThat(command).contains(SCRIPT.toString());

    Result r = run(tmp, command.toArray(String[]::new));

    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).isEmpty();
  }

  // ---- the script on a fresh Pi root ----

  @Test
  void freshPi_getsOverlaysOnceWatchdogTimeSyncPackageAndReadOnlyRoot() throws Exception {
    Result r = provision("--deb", deb.toString(), "--ntp", "ntp.example.org", "--read-only-root");

    assertThat(r.exit).as(r.out).isZero();
    assertThat(read("boot/firmware/config.txt")).isEqualTo(STOCK_CONFIG + SANGFROID_BLOCK);
    assertThat(read("boot/firmware/config.txt")).containsOnlyOnce("\ndtoverlay=w1-gpio,gpiopin=4\n")
        .containsOnlyOnce("\ndtparam=spi=on\n").containsOnlyOnce("\ndtparam=i2c_arm=on\n")
        .containsOnlyOnce("\ndtparam=watchdog=on\n");
    assertThat(read("boot/firmware/config.txt.before-sangfroid")).isEqualTo(STOCK_CONFIG);
    assertThat(read("etc/systemd/system.conf.d/sangfroid-watchdog.conf")).isEqualTo(WATCHDOG_DROP_IN);
    assertThat(read("etc/systemd/timesyncd.conf.d/sangfroid-ntp.conf")).isEqualTo("""
        # Sangfroid edge device (deploy/pi/provision.sh).
        [Time]
        NTP=ntp.example.org
        """);
    assertThat(read("boot/firmware/cmdline.txt")).isEqualTo("overlayroot=tmpfs:recurse=0 " + STOCK_CMDLINE);
    assertThat(read("etc/fstab")).isEqualTo(STOCK_FSTAB + """
        # Sangfroid edge device (deploy/pi/provision.sh): readings wait here until the gateway has them; stays writable.
        LABEL=sangfroid-data  /var/lib/sangfroid  ext4  defaults,noatime,nofail,x-systemd.device-timeout=30s  0  2
        """);
    assertThat(read("etc/systemd/system/sangfroid-agent.service.d/sangfroid-data.conf")).isEqualTo("""
        # Sangfroid edge device (deploy/pi/provision.sh).
        # With a read-only root, the agent must write its outbox on the data partition only:
        # without it, it does not start (and the gateway reports the agent silent).
        [Unit]
        RequiresMountsFor=/var/lib/sangfroid
        """);
    assertThat(root.resolve("var/lib/sangfroid")).isDirectory();
    assertThat(r.out).contains("would run: apt-get install -y " + deb.toRealPath())
        .contains("would run: systemctl enable --now systemd-timesyncd.service")
        .contains("would run: raspi-config nonint do_overlayfs 0")
        .contains("6 file(s) changed.")
        .contains("Reboot to apply");
    assertThat(r.out).doesNotContain("apt-get install -y systemd-timesyncd"); // already on the image
  }

  @Test
  void secondRun_changesNothing() throws Exception {
    String[] args = {"--deb", deb.toString(), "--ntp", "ntp.example.org", "--read-only-root"};
    assertThat(provision(args).exit).isZero();
    Map<String, String> afterFirst = snapshot();

    Result second = provision(args);

    assertThat(second.exit).as(second.out).isZero();
    assertThat(snapshot()).isEqualTo(afterFirst);
    assertThat(second.out).contains("Nothing to change: this device is already provisioned.")
        .doesNotContain("changed:").doesNotContain("Reboot");
  }

  @Test
  void dryRun_changesNothingAndSaysWhatWould() throws Exception {
    Map<String, String> before = snapshot();

    Result r = provision("--dry-run", "--deb", deb.toString(), "--ntp", "ntp.example.org", "--read-only-root");

    assertThat(r.exit).as(r.out).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(r.out).contains("(dry run: nothing is changed)")
        .contains("would change: /boot/firmware/config.txt: added dtoverlay=w1-gpio,gpiopin=4 dtparam=spi=on"
            + " dtparam=i2c_arm=on dtparam=watchdog=on")
        .contains("would change: /etc/systemd/system.conf.d/sangfroid-watchdog.conf")
        .contains("would change: /etc/fstab")
        .contains("6 file(s) would change.")
        .doesNotContain("changed:");
  }

  @Test
  void dryRun_afterProvisioning_findsNothingToChange() throws Exception {
    assertThat(provision("--deb", deb.toString()).exit).isZero();
    Map<String, String> before = snapshot();

    Result r = provision("--dry-run", "--deb", deb.toString());

    assertThat(snapshot()).isEqualTo(before);
    assertThat(r.out).contains("Nothing to change");
  }

  @Test
  void withoutOptionalParts_writesNoNtpServerAndKeepsTheRootWritable() throws Exception {
    Result r = provision("--deb", deb.toString());

    assertThat(r.exit).as(r.out).isZero();
    assertThat(root.resolve("etc/systemd/timesyncd.conf.d")).doesNotExist();
    assertThat(read("boot/firmware/cmdline.txt")).isEqualTo(STOCK_CMDLINE);
    assertThat(read("etc/fstab")).isEqualTo(STOCK_FSTAB);
    assertThat(r.out).doesNotContain("raspi-config").contains("2 file(s) changed.");
  }

  @Test
  void olderImage_withBootConfigTxt_isProvisionedThere() throws Exception {
    Files.move(root.resolve("boot/firmware/config.txt"), root.resolve("boot/config.txt"));
    Files.move(root.resolve("boot/firmware/cmdline.txt"), root.resolve("boot/cmdline.txt"));

    Result r = provision("--deb", deb.toString(), "--read-only-root");

    assertThat(r.exit).as(r.out).isZero();
    assertThat(read("boot/config.txt")).isEqualTo(STOCK_CONFIG + SANGFROID_BLOCK);
    assertThat(read("boot/cmdline.txt")).startsWith("overlayroot=tmpfs:recurse=0 console=serial0");
    assertThat(root.resolve("boot/firmware/config.txt")).doesNotExist();
  }

  @Test
  void settingsAlreadyThere_areNotRepeated_andTheOperatorsChoicesKept() throws Exception {
    String config = STOCK_CONFIG.replace("#dtparam=spi=on", "dtparam=spi=on")
        + "dtoverlay=w1-gpio,gpiopin=17\n";
    write(root.resolve("boot/firmware/config.txt"), config);
    String fstab = STOCK_FSTAB + "/dev/sda1  /var/lib/sangfroid  ext4  defaults  0  2\n";
    write(root.resolve("etc/fstab"), fstab);
    write(root.resolve("boot/firmware/cmdline.txt"), "overlayroot=tmpfs " + STOCK_CMDLINE);

    Result r = provision("--deb", deb.toString(), "--read-only-root");

    assertThat(r.exit).as(r.out).isZero();
    assertThat(read("boot/firmware/config.txt")).isEqualTo(config + """

        # Sangfroid edge device (deploy/pi/provision.sh): 1-Wire probes on GPIO4, SPI, I2C, hardware watchdog.
        [all]
        dtparam=i2c_arm=on
        dtparam=watchdog=on
        """);
    assertThat(r.out).contains("already loads [dtoverlay=w1-gpio,gpiopin=17]; left as it is");
    assertThat(read("etc/fstab")).isEqualTo(fstab);
    assertThat(read("boot/firmware/cmdline.txt")).isEqualTo("overlayroot=tmpfs:recurse=0 " + STOCK_CMDLINE);
    assertThat(r.out).doesNotContain("raspi-config"); // the overlay was already enabled
  }

  @Test
  void packageNextToTheScriptOrInTheCurrentFolder_isFoundWithoutDeb_newestVersionFirst() throws Exception {
    Path folder = deb.getParent();
    write(folder.resolve("sangfroid-agent_0.9.0_all.deb"), "x");
    write(folder.resolve("sangfroid-agent_0.10.0_all.deb"), "x");

    Result r = run(folder, "bash", SCRIPT.toString(), "--root", root.toString());

    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).contains("would run: apt-get install -y " + folder.toRealPath().resolve("sangfroid-agent_0.10.0_all.deb"));
  }

  @Test
  void noPackage_failsBeforeChangingAnything_unlessSkipped() throws Exception {
    Map<String, String> before = snapshot();

    Result r = provision();

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).contains("no sangfroid-agent_*.deb in").contains("--deb FILE").contains("--skip-package");
    assertThat(snapshot()).isEqualTo(before);
    Result skipped = provision("--skip-package");
    assertThat(skipped.exit).as(skipped.out).isZero();
    assertThat(skipped.out).contains("skipped: the sangfroid-agent package").doesNotContain("apt-get install -y /");
  }

  @Test
  void help_listsEveryOption() throws Exception {
    Result r = run(tmp, "bash", SCRIPT.toString(), "--help");

    assertThat(r.exit).isZero();
    assertThat(r.out).contains("Usage: sudo ./provision.sh").contains("--root DIR").contains("--dry-run")
        .contains("--deb FILE").contains("--ntp SERVER").contains("--read-only-root");
  }

  @Test
  void badCommandLine_exits2AndSaysWhat() throws Exception {
    assertThat(provision("--frobnicate").out).contains("unknown option [--frobnicate]");
    assertThat(provision("--frobnicate").exit).isEqualTo(2);
    Result badNtp = provision("--skip-package", "--ntp", "pool.ntp.org; reboot");
    assertThat(badNtp.exit).isEqualTo(2);
    assertThat(badNtp.out).contains("--ntp [pool.ntp.org; reboot] must be a host name or an address");
    Result noDeb = provision("--deb", tmp.resolve("missing.deb").toString());
    assertThat(noDeb.exit).isEqualTo(2);
    assertThat(noDeb.out).contains("missing.deb]: no such file");
  }

  @Test
  void notARaspberryPiRoot_failsAndSaysWhy() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    Result r = run(tmp, "bash", SCRIPT.toString(), "--root", empty.toString(), "--skip-package");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).contains("no /boot/firmware/config.txt nor /boot/config.txt under");
  }

  // ---- helpers ----

  record Result(int exit, String out) {}

  private Result provision(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--root", root.toString()));
    command.addAll(List.of(args));
    return run(tmp, command.toArray(String[]::new));
  }

  private static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private String read(String path) throws IOException {
    return Files.readString(root.resolve(path));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Every file and folder under the Pi root, with its content and permissions. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String key = root.relativize(p).toString();
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        out.put(key, Files.isDirectory(p) ? "dir " + mode : mode + " " + Files.readString(p));
      }
    }
    return out;
  }
}
