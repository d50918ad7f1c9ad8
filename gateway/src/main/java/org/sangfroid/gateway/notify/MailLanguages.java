package org.sangfroid.gateway.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.user.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The language each e-mail recipient reads: a web user's own language when the address is that
 * user's, else the alarm's site's configured {@code language}, else the gateway's. Thread-safe
 * when {@code users} is.
 *
 * @param users the language of the web user with this address, if any (looked up at each delivery,
 *     so a user added later is found)
 * @param sites the language configured for a site, by site id
 * @param gateway the gateway's configured language
 */
public record MailLanguages(Function<String, Optional<Language>> users, Map<String, Language> sites,
    Language gateway) {
  private static final Logger LOG = LoggerFactory.getLogger(MailLanguages.class);

  public MailLanguages {
    sites = Map.copyOf(sites);
  }

  /** Everyone reads English (tests, and channels without a configuration). */
  public static MailLanguages english() {
    return new MailLanguages(a -> Optional.empty(), Map.of(), Language.EN);
  }

  /** The languages {@code config} sets, with web users' languages from {@code users}. */
  public static MailLanguages of(GatewayConfig config, Function<String, Optional<Language>> users) {
    Map<String, Language> sites = new HashMap<>();
    for (Site s : config.sites()) {
      s.language().ifPresent(l -> sites.put(s.id(), l));
    }
    return new MailLanguages(users, sites, config.language());
  }

  /**
   * The language of {@code address} for a message about {@code site} (empty for a test message).
   * When the users cannot be read (the database failing), the site's or gateway's language: a
   * message in another language is better than a late one.
   */
  public Language of(String address, Optional<String> site) {
    try {
      Optional<Language> own = users.apply(address);
      if (own.isPresent()) {
        return own.get();
      }
    } catch (RuntimeException e) {
      LOG.warn("The language of {} cannot be looked up ({}); the site's is used", address, e.getMessage());
    }
    return site.map(sites::get).orElse(gateway);
  }
}
