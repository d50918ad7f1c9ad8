package org.sangfroid.gateway.store;

import java.util.Optional;

/**
 * One transition of an alarm.
 *
 * @param at when it happened: the measurement time for {@code raised} and {@code cleared}, the
 *     gateway clock for people's actions (epoch ms)
 * @param event {@code raised}, {@code cleared}, {@code acknowledged} or {@code closed}
 * @param actor {@code system} for the engine, else the user as given
 * @param comment the reason, root cause and disposition, or other details
 * @param recordedAt when the gateway stored it (gateway clock, epoch ms)
 */
public record AlarmHistoryRow(long alarmId, long at, String event, String actor, Optional<String> comment,
    long recordedAt) {}
