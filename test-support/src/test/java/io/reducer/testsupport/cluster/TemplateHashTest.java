package io.reducer.testsupport.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateHashTest {

  @Test
  void equalTemplatesHashEquallyWhateverTheOrderOfTheirLabels() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertThat(TemplateHash.of(template(ab, "serve"))).isEqualTo(TemplateHash.of(template(ba, "serve")));
  }

  @Test
  void anotherTemplateHashesDifferentlyInAtMostTenSafeCharacters() {
    String hash = TemplateHash.of(template(Map.of("a", "1"), "serve"));
    assertThat(hash).isNotEqualTo(TemplateHash.of(template(Map.of("a", "1"), "materialize")));
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  private static PodTemplateSpec template(Map<String, String> labels, String arg) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("w:1").withArgs(arg).endContainer().endSpec()
        .build();
  }
}
