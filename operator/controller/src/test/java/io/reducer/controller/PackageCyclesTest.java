package io.reducer.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other one way: a cycle means two packages can only be understood (and
 * changed) together. The graph is read from the sources' imports and fully qualified names.
 */
class PackageCyclesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/reducer/controller");
  private static final Pattern PACKAGE = Pattern.compile("^package (io\\.reducer\\.controller[\\w.]*);",
      Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.reducer\\.controller(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  @Test
  void noPackageCyclesAmongTheOperatorsPackages() throws IOException {
    assertThat(cycles(packageGraph())).as("package cycles among io.reducer.controller.*").isEmpty();
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("a", new TreeSet<>(Set.of("b")));
    graph.put("b", new TreeSet<>(Set.of("c")));
    graph.put("c", new TreeSet<>(Set.of("a")));
    graph.put("d", new TreeSet<>(Set.of("a")));
    assertThat(cycles(graph)).containsExactly(Set.of("a", "b", "c"));
  }

  private static Map<String, Set<String>> packageGraph() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).as("sources under " + SOURCES.toAbsolutePath()).isNotEmpty();
    for (Path file : files) {
      String source = Files.readString(file);
      Matcher declared = PACKAGE.matcher(source);
      assertThat(declared.find()).as("package declaration of " + file).isTrue();
      String from = declared.group(1);
      Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher reference = REFERENCE.matcher(source.substring(declared.end()));
      while (reference.find()) {
        if (!reference.group(1).equals(from)) {
          targets.add(reference.group(1));
        }
      }
    }
    return graph;
  }

  /** The strongly connected components of more than one package (Tarjan's algorithm). */
  private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> found = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, onStack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
