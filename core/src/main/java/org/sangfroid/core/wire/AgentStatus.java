package org.sangfroid.core.wire;

import org.sangfroid.core.check.Checks;

/**
 * An agent's retained status: its birth message ({@code online}) or its last will
 * ({@code offline}, sent by the broker when the agent vanishes).
 *
 * @param online whether the agent is connected
 * @param version the agent's software version ("" in a last will)
 * @param startedAt when the agent process started, epoch ms (0 in a last will)
 * @param outboxDepth readings waiting in the agent's outbox (-1 when unknown)
 */
public record AgentStatus(boolean online, String version, long startedAt, long outboxDepth) {
  public AgentStatus {
    Checks.requireNonNull("version", version);
  }

  /** The last will an agent leaves with the broker. */
  public static AgentStatus lastWill() {
    return new AgentStatus(false, "", 0, -1);
  }
}
