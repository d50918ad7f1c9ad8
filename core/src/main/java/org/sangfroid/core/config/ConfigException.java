package org.sangfroid.core.config;

import java.util.List;

/** A configuration file has errors; {@link #problems()} lists each as {@code file:line: what}. */
public class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order, each {@code file:line: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
