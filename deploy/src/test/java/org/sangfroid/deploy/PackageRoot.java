package org.sangfroid.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway root folder that dpkg installs packages into, without touching the machine that
 * runs the test.
 *
 * <p>{@code dpkg --root=ROOT --force-script-chrootless} unpacks into ROOT, keeps its database in
 * ROOT/var/lib/dpkg and runs the maintainer scripts on this machine with DPKG_ROOT=ROOT; the
 * scripts write files under DPKG_ROOT and run account commands through {@code chroot
 * DPKG_ROOT}. Here, the commands that would change this machine are stand-ins first on the
 * PATH, which record each call in {@link #calls()}:
 *
 * <ul>
 *   <li>{@code chroot} refuses any folder but ROOT, then runs its command with the stand-ins
 *       only on the PATH (nothing of this machine's);
 *   <li>{@code getent} and {@code adduser} keep a fake account list: users that {@code adduser
 *       --system} created exist afterwards; the groups gpio and i2c exist, spi does not;
 *   <li>{@code chown}, {@code dpkg-statoverride} (no override), {@code systemctl} and
 *       {@code deb-systemd-invoke} only record;
 *   <li>{@code deb-systemd-helper} is the real one, which works under DPKG_ROOT; its stand-in
 *       refuses to run with any other DPKG_ROOT;
 *   <li>other account and service commands are refused (exit 97) and recorded as DENIED.
 * </ul>
 *
 * <p>dpkg's own log goes to ROOT/var/log/dpkg.log instead of this machine's.
 */
final class PackageRoot {
  /** Groups that exist in the fake account list. */
  static final List<String> GROUPS = List.of("gpio", "i2c");

  private static final List<String> DENIED = List.of("useradd", "usermod", "userdel", "groupadd",
      "groupdel", "deluser", "delgroup", "addgroup", "gpasswd", "chgrp", "service", "invoke-rc.d",
      "update-rc.d");

  private final Path root;
  private final Path shims;
  private final Path calls;

  private PackageRoot(Path root, Path shims, Path calls) {
    this.root = root;
    this.shims = shims;
    this.calls = calls;
  }

  /** An empty root in {@code dir}/root, with its stand-in commands in {@code dir}/shims. */
  static PackageRoot create(Path dir, Path realDebSystemdHelper) {
    try {
      Path root = dir.resolve("root").toAbsolutePath();
      Path shims = dir.resolve("shims").toAbsolutePath();
      Path calls = dir.resolve("calls.log").toAbsolutePath();
      Path users = dir.resolve("users").toAbsolutePath();
      Files.createDirectories(root.resolve("var/lib/dpkg/info"));
      Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
      Files.createDirectories(root.resolve("var/log"));
      Files.writeString(root.resolve("var/lib/dpkg/status"), "");
      Files.writeString(root.resolve("var/lib/dpkg/available"), "");
      Files.createDirectories(shims);
      Files.writeString(calls, "");
      Files.writeString(users, "");
      String record = "printf '%s\\n' \"$(basename \"$0\") $*\" >> '" + calls + "'\n";
      shim(shims, "chroot", record + """
          if [ "$1" != '%s' ]; then echo "chroot outside the throwaway root: $1" >&2; exit 99; fi
          shift
          PATH='%s'
          export PATH
          exec "$@"
          """.formatted(root, shims));
      shim(shims, "getent", record + """
          case "$1" in
            passwd) if grep -qx "$2" '%s'; then echo "$2:x:999:999::/var/lib/sangfroid:/usr/sbin/nologin"; exit 0; fi ;;
            group) case " %s " in *" $2 "*) echo "$2:x:990:"; exit 0 ;; esac ;;
          esac
          exit 2
          """.formatted(users, String.join(" ", GROUPS)));
      shim(shims, "adduser", record + """
          case " $* " in
            *" --system "*) for name; do :; done; echo "$name" >> '%s' ;;
          esac
          exit 0
          """.formatted(users));
      shim(shims, "chown", record + "exit 0\n");
      shim(shims, "systemctl", record + "exit 0\n");
      shim(shims, "deb-systemd-invoke", record + "exit 0\n");
      shim(shims, "dpkg-statoverride", record + "exit 1\n");
      shim(shims, "deb-systemd-helper", record + """
          if [ "${DPKG_ROOT:-}" != '%s' ]; then echo "deb-systemd-helper outside the throwaway root" >&2; exit 99; fi
          exec '%s' "$@"
          """.formatted(root, realDebSystemdHelper));
      for (String command : DENIED) {
        shim(shims, command, "printf '%s\\n' \"DENIED $(basename \"$0\") $*\" >> '" + calls + "'\nexit 97\n");
      }
      return new PackageRoot(root, shims, calls);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shim(Path dir, String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The root folder. */
  Path root() {
    return root;
  }

  /** {@code absolute} (such as /etc/sangfroid) inside the root. */
  Path path(String absolute) {
    return root.resolve(absolute.replaceFirst("^/+", ""));
  }

  /** Runs dpkg on the root with {@code args} (such as -i FILE, --purge NAME). */
  PackageTools.Result dpkg(String... args) {
    List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root,
        "--log=" + root.resolve("var/log/dpkg.log"), "--force-not-root", "--force-script-chrootless",
        "--force-depends"));
    command.addAll(List.of(args));
    String path = shims + ":" + Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
    return PackageTools.run(root, Map.of("PATH", path), command);
  }

  /** The stand-ins' calls so far, one line each: {@code name args}. */
  List<String> calls() {
    try {
      return Files.readAllLines(calls);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets the calls recorded so far. */
  void clearCalls() {
    try {
      Files.writeString(calls, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
