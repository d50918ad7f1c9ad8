package org.sangfroid.gateway.user;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The languages of the web app; each user has one. */
public enum Language {
  EN(Locale.ENGLISH), FR(Locale.FRENCH);

  private final Locale locale;

  Language(Locale locale) {
    this.locale = locale;
  }

  public Locale locale() {
    return locale;
  }

  /** As written in the database and on the command line: {@code en}, {@code fr}. */
  public String wire() {
    return locale.getLanguage();
  }

  public static Optional<Language> fromWire(String text) {
    return Arrays.stream(values()).filter(l -> l.wire().equals(text)).findFirst();
  }
}
