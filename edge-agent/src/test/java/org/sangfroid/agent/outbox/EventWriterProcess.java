package org.sangfroid.agent.outbox;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sangfroid.core.wire.AgentEvent;

/**
 * A child process for {@link EventOutboxCrashIT}: records door events into the outbox of the
 * folder given as its argument, as fast as it can, printing each event's seq once
 * {@link EventOutbox#record} has returned (committed), until it is killed.
 */
public final class EventWriterProcess {
  private EventWriterProcess() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    EventOutbox events = EventOutbox.open(Path.of(args[0]));
    boolean open = events.activeConditions().isEmpty();
    for (long t = System.currentTimeMillis(); ; t++) {
      long seq = events.record(Occurrence.of(t, "rbc-fridge-1", AgentEvent.Type.DOOR_OPEN, open)).orElseThrow();
      out.println(seq);
      open = !open;
    }
  }
}
