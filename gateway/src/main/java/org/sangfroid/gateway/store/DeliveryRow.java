package org.sangfroid.gateway.store;

import java.util.OptionalLong;

/**
 * One notification of an alarm, as a report's timeline shows it.
 *
 * @param event {@code raised}, {@code cleared} or {@code escalated}
 * @param level the escalation step (1 = first), 0 for raised and cleared
 * @param channel {@code email} or {@code webhook}
 * @param target the recipients or the webhook URL
 * @param createdAt when it was queued (gateway clock, epoch ms)
 * @param deliveredAt when it was delivered; empty until then
 * @param deadAt when it was given up; empty unless so
 */
public record DeliveryRow(String event, int level, String channel, String target, long createdAt,
    OptionalLong deliveredAt, OptionalLong deadAt, int attempts) {}
