package org.sangfroid.core.excursion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sangfroid.core.excursion.ExcursionEvent.Cleared;
import org.sangfroid.core.excursion.ExcursionEvent.Raised;
import org.sangfroid.core.excursion.InputChange.Input;

/**
 * A unit's history as a script, one token per step of {@code stepMinutes} from {@link #T0}:
 * {@code 4.5} a reading, {@code x} an invalid reading (probe fault), {@code -} nothing,
 * {@code door+}/{@code door-}, {@code power+}/{@code power-}, {@code agitator+}/{@code agitator-}
 * an input change, {@code tick} the engine's tick, {@code restock} a new stay. {@code token*n}
 * repeats a token n times; {@code a..b/n} is n readings evenly from a to b.
 */
record Scenario(Profile profile, List<Step> steps) {
  static final long T0 = 1_763_900_000_000L;
  static final long MIN = 60_000;

  enum What { READING, FAULT, INPUT, TICK, RESTOCK }

  /** One thing that happens at {@code time}. */
  record Step(What what, long time, double celsius, InputChange change) {
    boolean isReading() {
      return what == What.READING || what == What.FAULT;
    }
  }

  static Scenario of(Profile profile, long stepMinutes, String script) {
    List<Step> steps = new ArrayList<>();
    long t = T0;
    for (String token : script.trim().split("\\s+")) {
      if (token.contains("..")) {
        String[] ramp = token.split("\\.\\.|/");
        double a = Double.parseDouble(ramp[0]);
        double b = Double.parseDouble(ramp[1]);
        int n = Integer.parseInt(ramp[2]);
        for (int i = 0; i < n; i++) {
          steps.add(new Step(What.READING, t, a + (b - a) * i / (n - 1), null));
          t += stepMinutes * MIN;
        }
        continue;
      }
      String[] parts = token.split("\\*");
      int times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
      for (int i = 0; i < times; i++) {
        Step step = step(parts[0], t);
        if (step != null) {
          steps.add(step);
        }
        t += stepMinutes * MIN;
      }
    }
    return new Scenario(profile, steps);
  }

  private static Step step(String token, long t) {
    if (token.equals("-")) {
      return null;
    }
    if (token.equals("x")) {
      return new Step(What.FAULT, t, Double.NaN, null);
    }
    if (token.equals("tick")) {
      return new Step(What.TICK, t, Double.NaN, null);
    }
    if (token.equals("restock")) {
      return new Step(What.RESTOCK, t, Double.NaN, null);
    }
    if (token.endsWith("+") || token.endsWith("-") && !Character.isDigit(token.charAt(0))) {
      Input input = switch (token.substring(0, token.length() - 1)) {
        case "door" -> Input.DOOR_OPEN;
        case "power" -> Input.POWER_LOST;
        case "agitator" -> Input.AGITATOR_STOPPED;
        default -> throw new IllegalArgumentException("unknown input in " + token);
      };
      return new Step(What.INPUT, t, Double.NaN, new InputChange(input, token.endsWith("+"), t));
    }
    return new Step(What.READING, t, Double.parseDouble(token), null);
  }

  /** The engine's answer to one step. */
  static ExcursionEngine.Outcome apply(Profile p, UnitState s, Step step, long receivedAt) {
    return switch (step.what()) {
      case READING -> ExcursionEngine.onSample(p, s, Sample.of(step.time(), step.celsius()), receivedAt);
      case FAULT -> ExcursionEngine.onSample(p, s, Sample.fault(step.time()), receivedAt);
      case INPUT -> ExcursionEngine.onInput(p, s, step.change(), receivedAt);
      case TICK -> ExcursionEngine.onTick(p, s, step.time());
      case RESTOCK -> ExcursionEngine.restock(p, s, step.time());
    };
  }

  /** The result of a run. */
  record Run(UnitState state, List<ExcursionEvent> events, int outOfOrder) {
    /** The events of {@code kinds} (all when blank), as {@code raise:kind@minute(from m)} / {@code clear:kind@m}. */
    String summary(String kinds) {
      Set<String> wanted = Set.of(kinds.trim().toLowerCase(Locale.ROOT).split("\\s+"));
      return events.stream().filter(e -> kinds.isBlank() || wanted.contains(name(e)))
          .map(Scenario::describe).collect(Collectors.joining(" "));
    }
  }

  static String name(ExcursionEvent e) {
    return e.kind().name().toLowerCase(Locale.ROOT);
  }

  static String describe(ExcursionEvent e) {
    if (e instanceof Raised r) {
      return "raise:" + name(e) + "@" + minute(r.raisedAt()) + "(from " + minute(r.startedAt()) + ")";
    }
    return "clear:" + name(e) + "@" + minute(((Cleared) e).endedAt());
  }

  private static String minute(long t) {
    long m = Math.floorDiv(t - T0, MIN);
    return (t - T0) % MIN == 0 ? Long.toString(m) : String.format(Locale.ROOT, "%.2f", (t - T0) / (double) MIN);
  }

  /** Every step as it happens, received when measured. */
  Run live() {
    return run(steps, Step::time, UnitState.start(T0));
  }

  /**
   * The link is down from {@code fromMinute}: the readings measured from then on reach the
   * gateway only after the script's end, in {@code arrival} order (received an hour after the last
   * step). Input changes, ticks and restocks still come when they happen (the priority lane).
   * With {@code sortBacklog} the gateway evaluates the held-back readings in measurement-time
   * order, as its contract says.
   */
  Run withBacklog(long fromMinute, Function<List<Step>, List<Step>> arrival, boolean sortBacklog) {
    long from = T0 + fromMinute * MIN;
    List<Step> onTime = new ArrayList<>();
    List<Step> held = new ArrayList<>();
    for (Step s : steps) {
      (s.isReading() && s.time() >= from ? held : onTime).add(s);
    }
    long receivedLater = steps.get(steps.size() - 1).time() + 60 * MIN;
    List<Step> backlog = arrival.apply(held);
    if (sortBacklog) {
      backlog = backlog.stream().sorted(Comparator.comparingLong(Step::time)).toList();
    }
    Run first = run(onTime, Step::time, UnitState.start(T0));
    Run rest = run(backlog, s -> receivedLater, first.state());
    return new Run(rest.state(), Stream.concat(first.events().stream(), rest.events().stream()).toList(),
        first.outOfOrder() + rest.outOfOrder());
  }

  private Run run(List<Step> todo, Function<Step, Long> receivedAt, UnitState start) {
    UnitState s = start;
    List<ExcursionEvent> events = new ArrayList<>();
    int outOfOrder = 0;
    for (Step step : todo) {
      var out = apply(profile, s, step, receivedAt.apply(step));
      s = out.state();
      events.addAll(out.events());
      outOfOrder += out.outOfOrder() ? 1 : 0;
    }
    return new Run(s, events, outOfOrder);
  }

  /** Events without their late flag, in a fixed order: what live and a replayed backlog must agree on. */
  static List<String> facts(List<ExcursionEvent> events) {
    return events.stream().map(e -> e instanceof Raised r
            ? new Raised(r.kind(), r.startedAt(), r.raisedAt(), r.celsius(), r.limit(), r.peak(), false).toString()
            : e.toString())
        .sorted().toList();
  }
}
