package org.sangfroid.gateway.ingest;

import java.util.List;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.gateway.alarm.AlarmChange;

/** What {@link Ingest} did with one message; the MQTT side acts on it (ack, alarm events). */
public sealed interface IngestResult {

  /**
   * A batch was stored (or was entirely duplicates) and committed.
   *
   * @param ack the agent's new watermark, to publish retained on its ack topic
   * @param stored readings newly stored
   * @param duplicates readings already stored, dropped
   * @param alarms alarms raised or cleared by the new readings
   */
  record Stored(String site, String agent, Ack ack, int stored, int duplicates, List<AlarmChange> alarms)
      implements IngestResult {
    public Stored {
      alarms = List.copyOf(alarms);
    }
  }

  /** An agent's status (birth or last will) was recorded. */
  record StatusRecorded(String site, String agent, AgentStatus status) implements IngestResult {}

  /** The message breaks the contract; nothing was stored and nothing is acked. */
  record Rejected(RejectReason reason, String detail) implements IngestResult {}

  /** The database failed; nothing was stored and nothing is acked, so the agent will send it again. */
  record Failed(String detail) implements IngestResult {}

  /** A topic the gateway does not consume (an ack or events topic); nothing to do. */
  record Ignored() implements IngestResult {}
}
