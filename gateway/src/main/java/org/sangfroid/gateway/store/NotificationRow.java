package org.sangfroid.gateway.store;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One delivery of one alarm message through one channel, as queued in the database.
 *
 * @param event {@code raised}, {@code cleared} or {@code escalated}
 * @param level the escalation step (1 = first), 0 for raised and cleared
 * @param channel {@code email} or {@code webhook}
 * @param target the recipients (comma-separated) or the webhook URL
 * @param createdAt when it was queued (gateway clock)
 * @param dueAt when the next attempt is due
 * @param attempts attempts made so far
 * @param lastError why the last attempt failed
 * @param deadAt when it was given up (a dead letter)
 */
public record NotificationRow(long id, long alarmId, String event, int level, String channel, String target,
    long createdAt, long dueAt, int attempts, Optional<String> lastError, OptionalLong deadAt) {}
