package org.sangfroid.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest sequence number the outbox may give, kept outside the database in
 * {@code {dataDir}/outbox.seq} (one decimal number), so that a corrupt or lost outbox.db never
 * makes the agent number readings again from a seq the gateway may already hold: the gateway
 * drops a reused (agent, seq) as a duplicate, which would lose the new reading without a word.
 *
 * <p>Every seq the outbox commits is at most the reserved value: an append that would pass it
 * first reserves {@code ahead} more and writes the file durably (temporary file, fsync, rename,
 * fsync of the folder). That is one extra fsync every {@code ahead} seqs, not one per tick. After
 * a corruption the new outbox continues after the reservation; the seqs reserved but never
 * given appear at the gateway as part of the gap, which the lost readings make anyway.
 *
 * <p>Not thread-safe: the outbox calls it under its own lock.
 */
final class SeqReservation {
  /** The file name inside the data folder. */
  static final String FILE_NAME = "outbox.seq";
  private static final Logger log = LoggerFactory.getLogger(SeqReservation.class);

  private final Path file;
  private final Path temporary;
  private long reserved;
  private boolean present;
  private boolean failing;

  private SeqReservation(Path file, long reserved, boolean present) {
    this.file = file;
    this.temporary = file.resolveSibling(FILE_NAME + ".tmp");
    this.reserved = reserved;
    this.present = present;
  }

  /** Reads the reservation of {@code dataDir}; none (0) when the file is absent or unreadable. */
  static SeqReservation read(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return new SeqReservation(file, value, true);
    } catch (NoSuchFileException e) {
      return new SeqReservation(file, 0, false);
    } catch (IOException | NumberFormatException e) {
      log.warn("{} cannot be read ({}); it is written again at the next tick", file, e.toString());
      return new SeqReservation(file, 0, false);
    }
  }

  /** The reserved value, if the file was there: every seq ever given is at most this. */
  OptionalLong reserved() {
    return present ? OptionalLong.of(reserved) : OptionalLong.empty();
  }

  /**
   * Makes sure {@code upTo} is reserved, reserving {@code ahead} more when it is not. A failure
   * to write is logged at ERROR and the caller goes on: storing the tick matters more, and the
   * next call tries again.
   */
  void cover(long upTo, long ahead) {
    if (present && upTo <= reserved) {
      return;
    }
    long next = Math.addExact(upTo, Math.max(1, ahead));
    try {
      write(next);
      reserved = next;
      present = true;
      if (failing) {
        log.info("{} written again (seqs reserved up to {})", file, next);
        failing = false;
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        log.error("{} cannot be written ({}): if outbox.db is ever damaged, the agent may not know which"
            + " sequence numbers it already gave. Check the data folder's free space and permissions.", file,
            e.toString());
        failing = true;
      }
    }
  }

  private void write(long value) throws IOException {
    byte[] text = (value + "\n").getBytes(StandardCharsets.US_ASCII);
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(text));
      out.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Folders.sync(file.getParent());
  }
}
