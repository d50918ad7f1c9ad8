package org.sangfroid.core.wire;

import java.util.List;
import org.sangfroid.core.check.Checks;

/**
 * Events of one agent, in sequence order, as published on {@code sangfroid/v1/{site}/{agent}/events}
 * (QoS 1). Small and rare: an agent sends them before any reading backlog.
 */
public record EventBatch(String site, String agent, List<AgentEvent> events) {
  /** The most events in one message. */
  public static final int MAX_EVENTS = 1_000;

  public EventBatch {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    events = List.copyOf(events);
    Checks.require(!events.isEmpty() && events.size() <= MAX_EVENTS, "events", events.size() + " items",
        "hold 1 to " + MAX_EVENTS + " events");
    for (int i = 1; i < events.size(); i++) {
      Checks.require(events.get(i).seq() > events.get(i - 1).seq(), "events[" + i + "].seq", events.get(i).seq(),
          "be greater than the one before (" + events.get(i - 1).seq() + ")");
    }
  }
}
