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
 * @param outboxDepth readings waiting in its outbox, as its last birth message said
 */
public record AgentRow(String site, String agent, long ackedSeq, OptionalLong lastSeen, boolean online,
    Optional<String> version, OptionalLong outboxDepth) {}
