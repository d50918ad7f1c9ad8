package org.sangfroid.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The rule for files holding a secret (the broker password, the client certificate's key):
 * readable by the service only, never by every user of the device (issue 3). Refused rather
 * than warned about: {@code check-config} shows it at commissioning, and a secret anyone on the
 * device can read lets them publish as this agent.
 */
final class SecretFile {
  private SecretFile() {}

  /**
   * Why {@code file} breaks the rule, or empty when it does not (or the file system has no
   * POSIX permissions, or the file is missing: that is reported elsewhere).
   */
  static Optional<String> problem(Path file) {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null || !Files.exists(file)) {
      return Optional.empty();
    }
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!mode.contains(PosixFilePermission.OTHERS_READ)) {
      return Optional.empty();
    }
    return Optional.of("be readable by the agent's service only, found it readable by every user of this device ("
        + PosixFilePermissions.toString(mode) + "); fix: sudo chown root:sangfroid " + file + " && sudo chmod 0640 "
        + file);
  }
}
