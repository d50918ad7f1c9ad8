package org.sangfroid.agent.outbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Durable renames: a rename is on the card only once its folder is synced. */
final class Folders {
  private Folders() {}

  /**
   * Syncs the folder's entries (Linux allows an fsync on a folder opened for reading). Where the
   * platform refuses, nothing more can be done, so the refusal is ignored.
   */
  static void sync(Path folder) {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Not supported here (not Linux); the rename itself has happened.
    }
  }
}
