package org.sangfroid.gateway.store;

/**
 * One entry of the audit trail, as stored.
 *
 * @param seq 1, 2, … in the order written
 * @param time gateway clock, epoch ms
 * @param actor {@code system} or the user as given
 * @param action {@code alarm.raised}, {@code alarm.cleared}, {@code alarm.acknowledged},
 *     {@code alarm.closed}, {@code config.loaded}
 * @param subject what it is about: {@code alarm/12}, {@code gateway}
 * @param details canonical JSON text
 * @param prevHash the previous entry's hash (64 zeros for the first)
 * @param hash SHA-256, hex, over {@code prevHash} and the other fields
 */
public record AuditRow(long seq, long time, String actor, String action, String subject, String details,
    String prevHash, String hash) {}
