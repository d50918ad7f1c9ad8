package org.sangfroid.gateway.web;

/**
 * A request refused before or by its handler: answered as JSON {@code {"error": ...}} on
 * {@code /api/}, {@code /live/} and {@code /metrics}, as a page elsewhere ({@code redirect}: to the
 * login page instead).
 */
final class Denied extends RuntimeException {
  final int status;
  final boolean toLogin;

  Denied(int status, String message) {
    this(status, message, false);
  }

  private Denied(int status, String message, boolean toLogin) {
    super(message, null, false, false);
    this.status = status;
    this.toLogin = toLogin;
  }

  /** Not logged in (or the session ended): 401 for the API, the login page for pages. */
  static Denied notLoggedIn() {
    return new Denied(401, "Log in first: POST /api/login with {\"name\": ..., \"password\": ...}, or use the login"
        + " page.", true);
  }
}
