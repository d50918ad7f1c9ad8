package org.sangfroid.agent.outbox;

import java.nio.file.Path;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * What {@link Outbox#open} found wrong with the outbox file, and what it did about it: a damaged
 * file was moved aside, or a file that had been there was gone; either way a new outbox was
 * started, numbered after every seq the old one may have given.
 *
 * @param kind what was wrong
 * @param file the outbox file
 * @param movedTo where a damaged file went (with its {@code -wal} and {@code -shm}); empty when
 *     the file was missing
 * @param problem what was wrong, for a person
 * @param continuedAfter the new outbox numbers from {@code continuedAfter + 1}
 * @param at when it happened, epoch ms
 */
public record Recovery(Kind kind, Path file, Optional<Path> movedTo, String problem, long continuedAfter,
    long at) {

  /** What was wrong with the outbox file at open. */
  public enum Kind {
    /** Not an SQLite database, a damaged header, or failing SQLite's integrity check. */
    CORRUPT,
    /** Gone, although outbox.seq shows this device had numbered readings. */
    MISSING
  }

  public Recovery {
    Checks.requireNonNull("kind", kind);
    Checks.requireNonNull("file", file);
    Checks.requireNonNull("movedTo", movedTo);
    Checks.requireNonNull("problem", problem);
    Checks.requireAtLeast("continuedAfter", continuedAfter, 0);
  }
}
