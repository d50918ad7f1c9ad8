package org.sangfroid.gateway.store;

/**
 * Who closed an alarm, when (gateway clock, epoch ms), the root cause found and the decision
 * about the products.
 *
 * @param user as given by the client (there is no login yet)
 */
public record Closure(String user, long at, String rootCause, Disposition disposition) {}
