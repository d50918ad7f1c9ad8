package org.sangfroid.gateway.store;

/**
 * Who acknowledged an alarm, when (gateway clock, epoch ms) and why.
 *
 * @param user as given by the client (there is no login yet)
 * @param comment the reason, never blank
 */
public record Acknowledgement(String user, long at, String comment) {}
