package org.sangfroid.gateway.web;

import io.javalin.security.RouteRole;
import java.util.Optional;
import org.sangfroid.gateway.user.Role;

/**
 * Who may use a route: every route declares one. Checked on the server before the route's
 * handler runs (see {@link WebApi}); a route that declares none is refused, so forgetting is safe.
 */
enum Access implements RouteRole {
  /** Anyone, logged in or not: the login page, static files, the health check, metrics. */
  PUBLIC(null),
  /** Every logged-in user. */
  READ(Role.VIEWER),
  /** Recording a restock: technicians and up. */
  RESTOCK(Role.TECHNICIAN),
  /** Acknowledging and closing alarms, and the audit trail page: quality managers and admins. */
  DECIDE(Role.QM),
  /** Managing users: admins. */
  ADMIN(Role.ADMIN);

  private final Role least;

  Access(Role least) {
    this.least = least;
  }

  /** The least role allowed; empty for {@link #PUBLIC}. */
  Optional<Role> least() {
    return Optional.ofNullable(least);
  }

  boolean allows(Role role) {
    return least == null || role.atLeast(least);
  }
}
