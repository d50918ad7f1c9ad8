package org.sangfroid.gateway.store;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway knows of an agent.
 *
 * @param ackedSeq every reading from 1 to this sequence number is stored
 * @param lastSeen gateway time of its last message, empty before the first
 * @param online what its last status message said
 * @param version its software version, from its birth message
 * @param outboxDepth readings waiting in its outbox, as its last status message said
 */
public record AgentRow(String site, String agent, long ackedSeq, OptionalLong lastSeen, boolean online,
    Optional<String> version, OptionalLong outboxDepth) {

  /**
   * The health of an agent's outbox, as its last online status said (issue 3).
   *
   * @param oldestUnsent measurement time (device clock, epoch ms) of the oldest reading still
   *     waiting in its outbox; empty when the outbox was empty or the agent did not say
   * @param dropped readings it dropped from its full outbox since the outbox was created;
   *     empty when it did not say
   */
  public record OutboxHealth(String site, String agent, OptionalLong oldestUnsent, OptionalLong dropped) {}
}
