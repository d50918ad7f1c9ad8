package org.sangfroid.gateway.notify;

import java.time.Instant;

/**
 * A notification given up on: nobody received it through this channel.
 *
 * @param channel {@code email} or {@code webhook}
 * @param target where it was going: the recipients, or the webhook URL
 * @param alarmId the alarm
 * @param event {@code raised} or {@code cleared}
 * @param firstAttempt when it was first tried
 * @param lastError why the last attempt failed
 * @param attempts how many times it was tried
 */
public record DeadLetter(String channel, String target, long alarmId, String event, Instant firstAttempt,
    String lastError, int attempts) {}
