package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml documents itself: a comment above every value. */
class ValuesFileTest {

  /** Kubernetes objects copied into the pod spec as they are; the comment above the block describes them. */
  private static final Set<String> KUBERNETES_BLOCKS = Set.of("resources", "podSecurityContext", "securityContext");
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][\\w.-]*):");

  @Test
  void everyValueHasACommentAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(HelmChart.dir().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    String block = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      int indent = key.group(1).length();
      if (indent == 0) {
        block = key.group(2);
      } else if (indent > 2 || KUBERNETES_BLOCKS.contains(block)) {
        continue;
      }
      int previous = i - 1;
      while (previous >= 0 && lines.get(previous).isBlank()) {
        previous--;
      }
      if (previous < 0 || !lines.get(previous).trim().startsWith("#")) {
        undocumented.add((indent == 0 ? "" : block + ".") + key.group(2));
      }
    }
    assertThat(undocumented).as("values without a comment above them").isEmpty();
  }
}
