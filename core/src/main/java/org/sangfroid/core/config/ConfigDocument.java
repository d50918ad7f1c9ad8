package org.sangfroid.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML configuration file being read: its root {@link ConfigNode} and the problems found
 * so far. Readers walk the tree, which records a problem for each bad value instead of
 * throwing, then call {@link #finish()} to fail once with the full list.
 */
public final class ConfigDocument {
  private final String name;
  private final List<Problem> problems = new ArrayList<>();
  private final ConfigNode root;

  private record Problem(int line, String text) {}

  private ConfigDocument(String name, Node rootNode) {
    this.name = name;
    this.root = new ConfigNode(this, "", rootNode);
    findDuplicateKeys(rootNode, "");
  }

  /** A key given twice would silently override the first (a limit, say): report it. */
  private void findDuplicateKeys(Node node, String path) {
    if (node instanceof MappingNode m) {
      Map<String, Integer> seen = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          int line = k.getStartMark().getLine() + 1;
          String where = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
          Integer first = seen.putIfAbsent(k.getValue(), line);
          if (first != null) {
            problem(line, where + " is given twice (first on line " + first + ")");
          }
          findDuplicateKeys(t.getValueNode(), where);
        }
      }
    } else if (node instanceof SequenceNode s) {
      for (int i = 0; i < s.getValue().size(); i++) {
        findDuplicateKeys(s.getValue().get(i), path + "[" + i + "]");
      }
    }
  }

  /** Reads {@code file}; a missing file or a YAML syntax error fails at once with its line. */
  public static ConfigDocument load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
    }
    return parse(file.toString(), text);
  }

  /** Parses {@code text}, naming it {@code name} in messages. */
  public static ConfigDocument parse(String name, String text) {
    Node node;
    try (Reader reader = new StringReader(text)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      node = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 1;
      String what = e.getProblem() == null ? "is not valid YAML" : "is not valid YAML: " + e.getProblem();
      throw new ConfigException(List.of(name + ":" + line + ": " + what));
    } catch (YAMLException | IOException e) {
      throw new ConfigException(List.of(name + ":1: is not valid YAML: " + e.getMessage()));
    }
    if (node == null) {
      throw new ConfigException(List.of(name + ":1: the file is empty"));
    }
    return new ConfigDocument(name, node);
  }

  /** The top-level mapping. */
  public ConfigNode root() {
    return root;
  }

  /** The file name used in messages. */
  public String name() {
    return name;
  }

  /** Records a problem at a 1-based line. */
  void problem(int line, String text) {
    problems.add(new Problem(line, text));
  }

  /** Records a problem that a reader found after the walk (e.g. a cross-reference), at a node. */
  public void problem(ConfigNode at, String text) {
    problem(at.line(), text);
  }

  /** The problems found so far, each {@code file:line: what}, in line order. */
  public List<String> problems() {
    return problems.stream()
        .sorted(Comparator.comparingInt(Problem::line))
        .map(p -> name + ":" + p.line() + ": " + p.text())
        .toList();
  }

  /** Throws a {@link ConfigException} listing every problem, if there is any. */
  public void finish() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems());
    }
  }
}
