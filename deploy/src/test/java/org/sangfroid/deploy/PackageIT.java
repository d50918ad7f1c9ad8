package org.sangfroid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the two Debian packages that the package phase built in target/: lintian, the
 * maintainer scripts (sh -n, shellcheck), an install into a throwaway root with dpkg (files,
 * modes, conffiles, what the maintainer scripts did), the launcher and the shipped example
 * configuration, systemd-analyze on the installed units, and remove and purge.
 *
 * <p>Nothing here changes the machine that runs it: see {@link PackageRoot}. Needs the Debian
 * packages dpkg, lintian, shellcheck, systemd, init-system-helpers and man-db; a missing tool
 * skips its checks, or fails them on CI (CI=true).
 */
class PackageIT {
  /** The project version, as the jars' manifests give it (set by the pom). */
  static final String VERSION = System.getProperty("sangfroid.version", "0.1.0-SNAPSHOT");
  /** The Debian version (set by the pom from the antrun step that computes it). */
  static final String DEB_VERSION = System.getProperty("sangfroid.deb.version", "0.1.0~SNAPSHOT");
  static final Path TARGET = Path.of("target").toAbsolutePath();
  static final String DEPENDS = "default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser";

  /** The two packages and where each puts its files. */
  enum Pkg {
    AGENT("sangfroid-agent", "agent.yaml", "agent", "outbox.db"),
    GATEWAY("sangfroid-gateway", "gateway.yaml", "gateway", "gateway.db");

    final String name;
    final String config;
    final String dataFolder;
    final String dataFile;

    Pkg(String name, String config, String dataFolder, String dataFile) {
      this.name = name;
      this.config = config;
      this.dataFolder = dataFolder;
      this.dataFile = dataFile;
    }

    Path deb() {
      return TARGET.resolve(name + "_" + DEB_VERSION + "_all.deb");
    }

    String share() {
      return "/usr/share/" + name;
    }

    String jar() {
      return share() + "/" + name + ".jar";
    }

    String launcher() {
      return "/usr/bin/" + name;
    }

    String unit() {
      return "/lib/systemd/system/" + name + ".service";
    }

    String configFile() {
      return "/etc/sangfroid/" + config;
    }

    String doc() {
      return "/usr/share/doc/" + name;
    }

    String manPage() {
      return "/usr/share/man/man1/" + name + ".1.gz";
    }
  }

  /** Both packages installed into one throwaway root, once for the tests that only look. */
  @TempDir static Path shared;
  private static PackageRoot installed;
  private static final Map<Pkg, List<String>> installCalls = new HashMap<>();
  private static final Map<Pkg, String> installOutput = new HashMap<>();

  private static PackageRoot installed() {
    requireDpkg();
    if (installed == null) {
      PackageRoot root = PackageRoot.create(shared, debSystemdHelper());
      for (Pkg pkg : Pkg.values()) {
        root.clearCalls();
        installOutput.put(pkg, root.dpkg("-i", pkg.deb().toString()).ok().output());
        installCalls.put(pkg, root.calls());
      }
      installed = root;
    }
    return installed;
  }

  private static void requireDpkg() {
    PackageTools.require("dpkg", "dpkg");
    PackageTools.require("dpkg-deb", "dpkg");
  }

  private static Path debSystemdHelper() {
    return PackageTools.require("deb-systemd-helper", "init-system-helpers");
  }

  // ---------------------------------------------------------------- the .deb files

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void deb_isNamedAfterTheDebianVersion_withItsControlFields(Pkg pkg, @TempDir Path tmp) throws IOException {
    requireDpkg();
    assertThat(DEB_VERSION).isEqualTo(VERSION.replace("-SNAPSHOT", "~SNAPSHOT"));
    assertThat(pkg.deb()).as("the package phase builds it").isRegularFile();
    List<String> fields = PackageTools.run(tmp, List.of("dpkg-deb", "--field", pkg.deb().toString(),
        "Package", "Version", "Architecture", "Depends")).ok().lines();
    assertThat(fields).containsExactly("Package: " + pkg.name, "Version: " + DEB_VERSION,
        "Architecture: all", "Depends: " + DEPENDS);

    PackageTools.run(tmp, List.of("dpkg-deb", "--control", pkg.deb().toString(), "DEBIAN")).ok();
    assertThat(tmp.resolve("DEBIAN/conffiles")).as("conffiles").content().isEqualTo(pkg.configFile() + "\n");
    assertThat(tmp.resolve("DEBIAN")).isDirectoryContaining("glob:**/postinst")
        .isDirectoryContaining("glob:**/prerm").isDirectoryContaining("glob:**/postrm");
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void lintian_reportsNoError(Pkg pkg, @TempDir Path tmp) {
    PackageTools.require("lintian", "lintian");
    PackageTools.Result lintian = PackageTools.run(tmp,
        List.of("lintian", "--tag-display-limit", "0", pkg.deb().toString()));
    List<String> errors = lintian.lines().stream().filter(l -> l.startsWith("E:")).toList();
    assertThat(errors).as("lintian errors; its whole report:%n%s", lintian.output()).isEmpty();
    assertThat(lintian.exitCode()).as("lintian's exit code; its report:%n%s", lintian.output()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void maintainerScriptsAndLauncher_passShNAndShellcheck(Pkg pkg, @TempDir Path tmp) {
    requireDpkg();
    PackageTools.require("shellcheck", "shellcheck");
    PackageTools.run(tmp, List.of("dpkg-deb", "--control", pkg.deb().toString(), "DEBIAN")).ok();
    PackageTools.run(tmp, List.of("dpkg-deb", "--extract", pkg.deb().toString(), "data")).ok();
    List<Path> scripts = List.of(tmp.resolve("DEBIAN/postinst"), tmp.resolve("DEBIAN/prerm"),
        tmp.resolve("DEBIAN/postrm"), tmp.resolve("data" + pkg.launcher()));
    for (Path script : scripts) {
      assertThat(script).isExecutable();
      PackageTools.run(tmp, List.of("sh", "-n", script.toString())).ok();
      PackageTools.run(tmp, List.of("shellcheck", "-s", "sh", script.toString())).ok();
    }
  }

  // ---------------------------------------------------------------- installed into a throwaway root

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void install_putsEveryFileInPlace_withItsMode(Pkg pkg) throws IOException {
    PackageRoot root = installed();
    assertThat(installOutput.get(pkg)).contains("Setting up " + pkg.name + " (" + DEB_VERSION + ")");
    assertMode(root.path(pkg.launcher()), "rwxr-xr-x");
    assertMode(root.path(pkg.jar()), "rw-r--r--");
    assertMode(root.path(pkg.share() + "/lib"), "rwxr-xr-x");
    assertMode(root.path(pkg.unit()), "rw-r--r--");
    assertMode(root.path(pkg.configFile()), "rw-r--r--");
    assertMode(root.path(pkg.doc() + "/copyright"), "rw-r--r--");
    assertMode(root.path(pkg.doc() + "/changelog.gz"), "rw-r--r--");
    assertMode(root.path(pkg.manPage()), "rw-r--r--");
    assertThat(root.path(pkg.configFile())).isReadable().content().contains("/var/lib/sangfroid/" + pkg.dataFolder);
    if ("root".equals(System.getProperty("user.name"))) {
      assertThat(Files.getOwner(root.path(pkg.launcher())).getName()).isEqualTo("root");
      assertThat(Files.getOwner(root.path(pkg.configFile())).getName()).isEqualTo("root");
    }
    // The data folder: postinst creates it, 0750 (its owner is the stand-in chown's: see below).
    assertMode(root.path("/var/lib/sangfroid"), "rwxr-x---");

    String changelog = gunzip(root.path(pkg.doc() + "/changelog.gz"));
    assertThat(changelog.lines().findFirst()).hasValueSatisfying(first ->
        assertThat(first).startsWith(pkg.name + " (" + DEB_VERSION + ") "));

    // dpkg registered the configuration as a conffile (kept on upgrade when edited, see below).
    String status = Files.readString(root.path("/var/lib/dpkg/status"));
    Matcher stanza = Pattern.compile("(?ms)^Package: " + Pattern.quote(pkg.name) + "$.*?(?:\\n\\n|\\z)")
        .matcher(status);
    assertThat(stanza.find()).as("%s in dpkg's status", pkg.name).isTrue();
    assertThat(stanza.group()).contains("Status: install ok installed")
        .containsPattern("(?m)^Conffiles:\\n " + Pattern.quote(pkg.configFile()) + " [0-9a-f]{32}$");
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void install_createsTheUserAndEnablesTheService_insideTheRootOnly(Pkg pkg) {
    PackageRoot root = installed();
    List<String> calls = installCalls.get(pkg);
    String inRoot = "chroot " + root.root() + " ";
    if (pkg == Pkg.AGENT) {
      // The first package installed creates the shared system user; the second finds it.
      assertThat(calls).contains(inRoot + "adduser --quiet --system --group --home /var/lib/sangfroid"
          + " --no-create-home --gecos Sangfroid cold-chain monitoring sangfroid");
      // Device groups: only those that exist (gpio and i2c in the fake account list, no spi).
      assertThat(calls).contains(inRoot + "adduser --quiet sangfroid gpio", inRoot + "adduser --quiet sangfroid i2c")
          .noneMatch(c -> c.endsWith("sangfroid spi"));
    } else {
      assertThat(calls).contains(inRoot + "getent passwd sangfroid")
          .noneMatch(c -> c.startsWith("adduser"));
    }
    assertThat(calls).contains(inRoot + "chown sangfroid:sangfroid /var/lib/sangfroid");
    assertThat(calls).as("account commands run only inside the root")
        .filteredOn(c -> c.startsWith("adduser") || c.startsWith("chown") || c.startsWith("getent"))
        .allSatisfy(c -> assertThat(calls).contains(inRoot + c));
    // Enabled under DPKG_ROOT by the real deb-systemd-helper; never started on this machine.
    assertThat(calls).contains("deb-systemd-helper enable " + pkg.name + ".service")
        .noneMatch(c -> c.startsWith("deb-systemd-invoke") || c.startsWith("systemctl") || c.startsWith("DENIED"));
    Path wants = root.path("/etc/systemd/system/multi-user.target.wants/" + pkg.name + ".service");
    assertThat(wants).isSymbolicLink();
    assertThat(readLink(wants)).isEqualTo(Path.of(pkg.unit()));
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void libraries_areExactlyTheJarsClassPath_eachWithItsLicenceInCopyright(Pkg pkg) throws IOException {
    PackageRoot root = installed();
    Set<String> classPath;
    try (JarFile jar = new JarFile(root.path(pkg.jar()).toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(VERSION);
      classPath = new TreeSet<>(List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")));
    }
    Set<String> shipped;
    try (Stream<Path> files = Files.list(root.path(pkg.share() + "/lib"))) {
      shipped = files.map(f -> "lib/" + f.getFileName()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(shipped).as("lib/ holds what the manifest's Class-Path names, nothing more")
        .isEqualTo(classPath);

    String copyright = Files.readString(root.path(pkg.doc() + "/copyright"));
    Matcher m = Pattern.compile("(?<=\\s)lib/([A-Za-z0-9._-]+)\\*").matcher(copyright);
    List<String> prefixes = new ArrayList<>();
    while (m.find()) {
      prefixes.add(m.group(1));
    }
    assertThat(shipped).as("every bundled jar is listed, with its licence, in %s/copyright", pkg.doc())
        .allSatisfy(lib -> assertThat(prefixes).anyMatch(p -> lib.startsWith("lib/" + p)));
  }

  /**
   * The JDK verifies a signed jar when it loads its first class from it, and the X.509 and PKCS#7
   * classes that takes stay resident: about 2 MB of the agent's memory (docs/performance.md).
   */
  @ParameterizedTest
  @EnumSource(Pkg.class)
  void pahoJar_shipsWithoutItsSignature_andWithAllItsClasses(Pkg pkg) throws IOException {
    PackageRoot root = installed();
    Path shipped;
    try (Stream<Path> files = Files.list(root.path(pkg.share() + "/lib"))) {
      shipped = files.filter(f -> f.getFileName().toString().startsWith("org.eclipse.paho.client.mqttv3-"))
          .findFirst().orElseThrow();
    }
    try (JarFile jar = new JarFile(shipped.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names).as("no signature file in %s", shipped.getFileName())
          .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
      assertThat(names).contains("org/eclipse/paho/client/mqttv3/MqttAsyncClient.class",
          "META-INF/services/org.eclipse.paho.client.mqttv3.spi.NetworkModuleFactory");
      assertThat(names.stream().filter(n -> n.endsWith(".class"))).as("classes").hasSizeGreaterThan(100);
    }
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void launcher_printsTheVersion_andTheShippedConfigPassesCheckConfig(Pkg pkg, @TempDir Path tmp) throws IOException {
    PackageRoot root = installed();
    // The installed launcher, with its /usr/share/ pointing into the root instead of this machine.
    String launcherText = Files.readString(root.path(pkg.launcher()));
    assertThat(launcherText).startsWith("#!/bin/sh\n").contains("exec \"$JAVA\" $JAVA_OPTS -jar " + pkg.jar() + " \"$@\"");
    Path launcher = tmp.resolve(pkg.name);
    Files.writeString(launcher, launcherText.replace(" /usr/share/", " " + root.root() + "/usr/share/"));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The JVM options the service gives it, several in one variable.
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
        "JAVA_OPTS", unitJavaOpts(root, pkg));

    PackageTools.Result version = PackageTools.run(tmp, env, List.of(launcher.toString(), "--version")).ok();
    assertThat(version.output().strip()).isEqualTo(pkg.name + " " + VERSION);

    PackageTools.Result check = PackageTools.run(tmp, env,
        List.of(launcher.toString(), "check-config", root.path(pkg.configFile()).toString())).ok();
    assertThat(check.output()).startsWith("OK: ");

    if (pkg == Pkg.AGENT) {
      // The commented example units just above 'units:' are valid too, once added.
      List<String> lines = Files.readAllLines(root.path(pkg.configFile()));
      int units = lines.indexOf("units:");
      int start = units;
      while (start > 0 && lines.get(start - 1).startsWith("#  ")) {
        start--;
      }
      assertThat(units - start).as("commented example units above 'units:'").isGreaterThan(5);
      List<String> extended = new ArrayList<>(lines);
      lines.subList(start, units).forEach(l -> extended.add(l.substring(1)));
      Path withExamples = Files.write(tmp.resolve("agent-with-examples.yaml"), extended);
      PackageTools.Result checkExamples = PackageTools.run(tmp, env,
          List.of(launcher.toString(), "check-config", withExamples.toString())).ok();
      assertThat(checkExamples.output()).startsWith("OK: ").contains(" 4 unit(s)");
    }
  }

  private static String unitJavaOpts(PackageRoot root, Pkg pkg) throws IOException {
    Matcher m = Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]*)\"$")
        .matcher(Files.readString(root.path(pkg.unit())));
    assertThat(m.find()).as("the unit sets JAVA_OPTS").isTrue();
    assertThat(m.group(1)).isNotBlank();
    return m.group(1);
  }

  // ---------------------------------------------------------------- systemd units

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void unit_verifiesWithSystemdAnalyze_asInstalled(Pkg pkg) throws IOException {
    PackageRoot root = withSystemdUnits(installed());
    // --root: the unit and its ExecStart are the installed ones; MANPATH: its man: link is the
    // installed manual page.
    PackageTools.Result verify = PackageTools.run(root.root(),
        Map.of("MANPATH", root.path("/usr/share/man").toString()),
        List.of("systemd-analyze", "verify", "--root=" + root.root(), pkg.unit()));
    assertThat(verify.output()).as("systemd-analyze verify %s", pkg.unit()).isBlank();
    assertThat(verify.exitCode()).isZero();

    // The exposure score of 'systemd-analyze security' (0 best, 10 worst; 2.1 and 1.5 now).
    PackageTools.Result security = PackageTools.run(root.root(), List.of("systemd-analyze", "security",
        "--offline=true", "--root=" + root.root(), "--threshold=30", pkg.unit()));
    assertThat(security.exitCode()).as("exposure above 3.0:%n%s", security.output()).isZero();
  }

  @Test
  void systemdAnalyzeVerify_rejectsAUnitWhoseCommandIsMissing() throws IOException {
    PackageRoot root = withSystemdUnits(installed());
    String unit = Files.readString(root.path(Pkg.AGENT.unit()))
        .replace("ExecStart=/usr/bin/sangfroid-agent ", "ExecStart=/usr/bin/sangfroid-missing ");
    Files.writeString(root.path("/lib/systemd/system/sangfroid-broken.service"), unit);
    PackageTools.Result verify = PackageTools.run(root.root(),
        Map.of("MANPATH", root.path("/usr/share/man").toString()),
        List.of("systemd-analyze", "verify", "--root=" + root.root(), "/lib/systemd/system/sangfroid-broken.service"));
    assertThat(verify.exitCode()).isNotZero();
    assertThat(verify.output()).contains("/usr/bin/sangfroid-missing");
  }

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void unit_isHardened_andRestartsWithoutEverGivingUp(Pkg pkg) throws IOException {
    List<String> lines = Files.readAllLines(installed().path(pkg.unit()));
    assertThat(lines).contains("User=sangfroid", "Restart=always", "StartLimitIntervalSec=0",
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "CapabilityBoundingSet=", "StateDirectory=sangfroid", "StateDirectoryMode=0750",
        "ExecStart=" + pkg.launcher() + " run --config " + pkg.configFile(), "WantedBy=multi-user.target");
    List<String> settings = lines.stream().filter(l -> !l.startsWith("#")).toList();
    if (pkg == Pkg.AGENT) {
      // Starts after a power cut without a network or a synchronised clock, and keeps its devices.
      assertThat(settings).noneMatch(l -> l.contains("network-online") || l.contains("time-sync"))
          .noneMatch(l -> l.startsWith("Requires=") || l.startsWith("BindsTo="))
          .noneMatch(l -> l.startsWith("SupplementaryGroups="))
          .noneMatch(l -> l.startsWith("PrivateDevices=") || l.startsWith("DeviceAllow=")
              || l.startsWith("DevicePolicy=") || l.startsWith("ProtectClock="));
    } else {
      assertThat(settings).contains("PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectClock=yes");
    }
  }

  private static synchronized PackageRoot withSystemdUnits(PackageRoot root) throws IOException {
    PackageTools.require("systemd-analyze", "systemd");
    PackageTools.require("man", "man-db");
    // systemd-analyze --root looks for sysinit.target and the rest under the root too: a copy of
    // this machine's system units, beside (not over) the packages' /lib/systemd/system. Links
    // to absolute paths (masked units: /dev/null) stay out.
    Path units = root.path("/usr/lib/systemd/system");
    if (!Files.isDirectory(units)) {
      Path host = Files.exists(Path.of("/usr/lib/systemd/system/sysinit.target"))
          ? Path.of("/usr/lib/systemd/system") : Path.of("/lib/systemd/system");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(host)) {
        files = walk.toList();
      }
      for (Path file : files) {
        Path copy = units.resolve(host.relativize(file).toString());
        if (Files.isSymbolicLink(file)) {
          Path target = Files.readSymbolicLink(file);
          if (!target.isAbsolute()) {
            Files.createSymbolicLink(copy, target);
          }
        } else if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return root;
  }

  // ---------------------------------------------------------------- remove and purge

  @ParameterizedTest
  @EnumSource(Pkg.class)
  void removeAndPurge_keepTheReadings_andEditedConfig_untilTheyGo(Pkg pkg, @TempDir Path tmp) throws IOException {
    requireDpkg();
    PackageRoot root = PackageRoot.create(tmp, debSystemdHelper());
    Path config = root.path(pkg.configFile());
    Path wants = root.path("/etc/systemd/system/multi-user.target.wants/" + pkg.name + ".service");
    Path mask = root.path("/etc/systemd/system/" + pkg.name + ".service");
    Path data = root.path("/var/lib/sangfroid/" + pkg.dataFolder);

    root.dpkg("-i", pkg.deb().toString()).ok();
    // An edited configuration survives a reinstall (upgrade) of the package.
    Files.writeString(config, Files.readString(config) + "# edited by the technician\n");
    root.clearCalls();
    root.dpkg("-i", pkg.deb().toString()).ok();
    assertThat(config).content().endsWith("# edited by the technician\n");
    assertThat(root.calls()).as("the user exists now").noneMatch(c -> c.startsWith("adduser --quiet --system"));

    // The service wrote its data.
    Files.createDirectories(data);
    Files.writeString(data.resolve(pkg.dataFile), "readings");

    PackageTools.Result remove = root.dpkg("--remove", pkg.name).ok();
    assertThat(root.path(pkg.jar())).doesNotExist();
    assertThat(root.path(pkg.launcher())).doesNotExist();
    assertThat(config).as("remove keeps the configuration").exists();
    assertThat(data.resolve(pkg.dataFile)).exists();
    assertThat(mask).as("remove masks the unit (deb-systemd-helper)").isSymbolicLink();
    assertThat(remove.output()).doesNotContain("kept");

    PackageTools.Result purge = root.dpkg("--purge", pkg.name).ok();
    assertThat(config).as("purge removes the configuration").doesNotExist();
    assertThat(wants).doesNotExist();
    assertThat(mask).doesNotExist();
    assertThat(data.resolve(pkg.dataFile)).as("purge never deletes the readings").hasContent("readings");
    assertThat(purge.output()).contains(pkg.name + ": kept /var/lib/sangfroid/" + pkg.dataFolder);
    assertThat(root.calls()).noneMatch(c -> c.startsWith("DENIED") || c.startsWith("deb-systemd-invoke"));

    // Once the data is gone, a purge leaves nothing behind.
    Files.delete(data.resolve(pkg.dataFile));
    root.dpkg("-i", pkg.deb().toString()).ok();
    PackageTools.Result emptyPurge = root.dpkg("--purge", pkg.name).ok();
    assertThat(emptyPurge.output()).doesNotContain("kept");
    assertThat(root.path("/var/lib/sangfroid")).doesNotExist();
    assertThat(root.path("/etc/sangfroid")).doesNotExist();
  }

  // ---------------------------------------------------------------- helpers

  private static void assertMode(Path file, String mode) throws IOException {
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .as("mode of %s", file).isEqualTo(mode);
  }

  private static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path readLink(Path link) {
    try {
      return Files.readSymbolicLink(link);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
