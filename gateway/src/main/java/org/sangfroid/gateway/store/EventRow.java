package org.sangfroid.gateway.store;

/**
 * An agent event as stored.
 *
 * @param type as on the wire: {@code door_open}, {@code power_lost}, {@code agitator_stopped},
 *     {@code alarm_muted}, {@code local_alarm}
 * @param active the condition started (true) or ended (false)
 * @param detail the alarm kind of a {@code local_alarm}; else empty
 * @param time when it happened (device clock), epoch ms
 * @param synced false when the device clock was not synchronised
 */
public record EventRow(String site, String agent, long seq, String unit, String type, boolean active, String detail,
    long time, boolean synced) {}
