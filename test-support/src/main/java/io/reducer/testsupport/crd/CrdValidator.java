package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates custom resources against an {@code apiextensions.k8s.io/v1} CustomResourceDefinition the way an API
 * server does, without one: the object is pruned and defaulted, then checked against the version's
 * {@code openAPIV3Schema} (networknt, OpenAPI 3.0 semantics), the list-type uniqueness rules, and every
 * {@code x-kubernetes-validations} CEL rule (cel-java). Transition rules (using {@code oldSelf}) only run on
 * {@link #validateUpdate}.
 *
 * <p>Problems of the CRD itself, such as a CEL rule that does not compile, are listed by {@link #crdErrors()} and
 * also fail every validation, so a broken CRD cannot pass a test.
 */
public final class CrdValidator {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String group;
  private final String kind;
  private final List<CrdVersion> versions;
  private final List<String> crdErrors;

  private CrdValidator(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    this.group = spec.path("group").asText("");
    this.kind = spec.path("names").path("kind").asText("");
    List<CrdVersion> compiled = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < spec.path("versions").size(); i++) {
      CrdVersion version = CrdVersion.compile(spec.path("versions").get(i), "spec.versions[" + i + "]");
      compiled.add(version);
      errors.addAll(version.definitionErrors());
    }
    this.versions = List.copyOf(compiled);
    this.crdErrors = List.copyOf(errors);
  }

  public static CrdValidator fromYaml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return fromYaml(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + file, e);
    }
  }

  /** Reads the single CustomResourceDefinition in a (possibly multi-document) YAML stream. */
  public static CrdValidator fromYaml(InputStream yaml) {
    try {
      List<JsonNode> crds = new ArrayList<>();
      YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(document -> {
        JsonNode node = (JsonNode) document;
        if ("CustomResourceDefinition".equals(node.path("kind").asText())) {
          crds.add(node);
        }
      });
      if (crds.size() != 1) {
        throw new IllegalArgumentException("expected exactly one CustomResourceDefinition, found "
            + crds.size());
      }
      return fromJsonNode(crds.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse CRD YAML", e);
    }
  }

  /** Loads a CRD from the classpath, e.g. {@code fromClasspath("META-INF/fabric8/widgets.example.io-v1.yml")}. */
  public static CrdValidator fromClasspath(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    InputStream in = loader == null ? null : loader.getResourceAsStream(name);
    if (in == null) {
      in = CrdValidator.class.getClassLoader().getResourceAsStream(name);
    }
    if (in == null) {
      throw new IllegalArgumentException("CRD resource not found on the classpath: " + resource);
    }
    try (InputStream stream = in) {
      return fromYaml(stream);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  public static CrdValidator of(CustomResourceDefinition crd) {
    return fromJsonNode(JSON.valueToTree(crd));
  }

  private static CrdValidator fromJsonNode(JsonNode crd) {
    String apiVersion = crd.path("apiVersion").asText();
    if (!"apiextensions.k8s.io/v1".equals(apiVersion)) {
      throw new IllegalArgumentException("only apiextensions.k8s.io/v1 CRDs are supported, got " + apiVersion);
    }
    return new CrdValidator(crd);
  }

  /** The kind the CRD defines, e.g. Projection. */
  public String kind() {
    return kind;
  }

  /** Problems of the CRD itself that the API server would reject it for; empty for a sound CRD. */
  public List<String> crdErrors() {
    return crdErrors;
  }

  public CrdValidationResult validateCreate(JsonNode object) {
    return validate(object, null);
  }

  public CrdValidationResult validateCreate(Map<String, ?> object) {
    return validateCreate(toTree(object));
  }

  /** Validates {@code newObject} replacing {@code oldObject}; transition rules compare the two. */
  public CrdValidationResult validateUpdate(JsonNode oldObject, JsonNode newObject) {
    return validate(newObject, oldObject);
  }

  public CrdValidationResult validateUpdate(Map<String, ?> oldObject, Map<String, ?> newObject) {
    return validateUpdate(toTree(oldObject), toTree(newObject));
  }

  private CrdValidationResult validate(JsonNode object, JsonNode old) {
    if (object == null || !object.isObject() || (old != null && !old.isObject())) {
      throw new IllegalArgumentException("a custom resource must be a JSON object");
    }
    List<String> errors = new ArrayList<>(crdErrors);
    CrdVersion version = versionOf(object, errors);
    if (version == null) {
      return new CrdValidationResult(errors, List.of(), null);
    }
    errors.addAll(ObjectMetaCheck.check(object, old));
    StructuralPruner.Result pruned = StructuralPruner.prune(version.schema(), object);
    JsonNode stored = pruned.object();
    JsonNode storedOld = old == null ? null : StructuralPruner.prune(version.schema(), old).object();
    errors.addAll(version.schemaErrors(stored));
    errors.addAll(ListTypeCheck.check(version.schema(), stored));
    errors.addAll(CelRuleWalker.check(version.rules(), version.schema(), stored, storedOld));
    return new CrdValidationResult(errors, pruned.prunedFields(), stored);
  }

  /** The served version named by apiVersion, or null after adding the reason to {@code errors}. */
  private CrdVersion versionOf(JsonNode object, List<String> errors) {
    String apiVersion = object.path("apiVersion").asText("");
    String objectKind = object.path("kind").asText("");
    if (!kind.equals(objectKind)) {
      errors.add("kind: Invalid value: \"" + objectKind + "\": must be " + kind);
    }
    for (CrdVersion version : versions) {
      if (version.served() && apiVersion.equals(group + "/" + version.name())) {
        return version;
      }
    }
    errors.add("apiVersion: Unsupported value: \"" + apiVersion + "\": supported values: "
        + String.join(", ", versions.stream().filter(CrdVersion::served)
            .map(v -> "\"" + group + "/" + v.name() + "\"").toList()));
    return null;
  }

  private static JsonNode toTree(Map<String, ?> object) {
    return JSON.valueToTree(object);
  }
}
