package org.sangfroid.core.wire;

import java.util.OptionalLong;
import org.sangfroid.core.check.Checks;

/**
 * An agent's retained status: its birth message ({@code online}, also re-published every
 * minute while connected) or its last will ({@code offline}, sent by the broker when the agent
 * vanishes).
 *
 * @param online whether the agent is connected
 * @param version the agent's software version ("" in a last will)
 * @param startedAt when the agent process started, epoch ms (0 in a last will)
 * @param outboxDepth readings waiting in the agent's outbox (-1 when unknown)
 * @param oldestUnsent measurement time (epoch ms, device clock) of the oldest reading still
 *     waiting in the outbox for the gateway's ack; empty when the outbox is empty or the agent
 *     did not say (older agents, last will)
 * @param dropped readings the agent dropped from its full outbox since the outbox was created;
 *     empty when the agent did not say (older agents, last will)
 */
public record AgentStatus(boolean online, String version, long startedAt, long outboxDepth,
    OptionalLong oldestUnsent, OptionalLong dropped) {
  public AgentStatus {
    Checks.requireNonNull("version", version);
    Checks.requireNonNull("oldestUnsent", oldestUnsent);
    Checks.requireNonNull("dropped", dropped);
    oldestUnsent.ifPresent(t -> Checks.requireAtLeast("oldestUnsent", t, 0));
    dropped.ifPresent(n -> Checks.requireAtLeast("dropped", n, 0));
  }

  /** A status without the outbox's health (what protocol-1 agents before it sent). */
  public AgentStatus(boolean online, String version, long startedAt, long outboxDepth) {
    this(online, version, startedAt, outboxDepth, OptionalLong.empty(), OptionalLong.empty());
  }

  /** The last will an agent leaves with the broker. */
  public static AgentStatus lastWill() {
    return new AgentStatus(false, "", 0, -1);
  }
}
