package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelKind;
import dev.cel.runtime.CelEvaluationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One compiled {@code x-kubernetes-validations} entry and how its failure is reported. */
final class CelRule {

  private static final Map<String, String> REASONS = Map.of(
      "FieldValueInvalid", "Invalid value",
      "FieldValueForbidden", "Forbidden",
      "FieldValueRequired", "Required value",
      "FieldValueDuplicate", "Duplicate value");

  private final String rule;
  private final String message;
  private final CelEnvironment.Compiled program;
  private final CelEnvironment.Compiled messageExpression;
  private final RuleFieldPath fieldPath;
  private final String reason;
  private final boolean optionalOldSelf;

  private CelRule(String rule, String message, CelEnvironment.Compiled program,
      CelEnvironment.Compiled messageExpression, RuleFieldPath fieldPath, String reason,
      boolean optionalOldSelf) {
    this.rule = rule;
    this.message = message;
    this.program = program;
    this.messageExpression = messageExpression;
    this.fieldPath = fieldPath;
    this.reason = reason;
    this.optionalOldSelf = optionalOldSelf;
  }

  /**
   * Compiles a rule found on {@code schema}. Throws {@link InvalidRuleException} naming the offending property
   * ({@code rule}, {@code messageExpression}, ...) for everything the API server would reject at CRD creation.
   */
  static CelRule compile(JsonNode definition, JsonNode schema, boolean correlatable) throws InvalidRuleException {
    String rule = definition.path("rule").asText("");
    if (rule.isBlank()) {
      throw new InvalidRuleException("rule", "must not be empty");
    }
    CelEnvironment.Compiled program;
    try {
      program = CelEnvironment.compile(rule);
    } catch (CelEnvironment.InvalidExpressionException e) {
      throw new InvalidRuleException("rule", "compilation failed for " + quote(rule) + ": " + e.getMessage());
    }
    if (program.resultKind() != CelKind.BOOL && program.resultKind() != CelKind.DYN) {
      throw new InvalidRuleException("rule", quote(rule) + " must evaluate to a bool, not "
          + program.resultKind().name().toLowerCase());
    }
    boolean optionalOldSelf = definition.path("optionalOldSelf").asBoolean(false);
    if ((program.usesOldSelf() || optionalOldSelf) && !correlatable) {
      throw new InvalidRuleException("rule", quote(rule) + ": oldSelf cannot be used on the uncorrelatable "
          + "portion of the schema (items of a list that is not x-kubernetes-list-type: map)");
    }
    return new CelRule(rule, definition.path("message").asText("").trim(), program,
        compileMessageExpression(definition), compileFieldPath(definition, schema),
        compileReason(definition), optionalOldSelf);
  }

  private static CelEnvironment.Compiled compileMessageExpression(JsonNode definition) throws InvalidRuleException {
    String expression = definition.path("messageExpression").asText("");
    if (expression.isBlank()) {
      return null;
    }
    try {
      CelEnvironment.Compiled compiled = CelEnvironment.compile(expression);
      if (compiled.resultKind() != CelKind.STRING && compiled.resultKind() != CelKind.DYN) {
        throw new InvalidRuleException("messageExpression", quote(expression)
            + " must evaluate to a string");
      }
      return compiled;
    } catch (CelEnvironment.InvalidExpressionException e) {
      throw new InvalidRuleException("messageExpression", "compilation failed for " + quote(expression)
          + ": " + e.getMessage());
    }
  }

  private static RuleFieldPath compileFieldPath(JsonNode definition, JsonNode schema) throws InvalidRuleException {
    String text = definition.path("fieldPath").asText("");
    try {
      return text.isEmpty() ? RuleFieldPath.none() : RuleFieldPath.parse(text, schema);
    } catch (IllegalArgumentException e) {
      throw new InvalidRuleException("fieldPath", e.getMessage());
    }
  }

  private static String compileReason(JsonNode definition) throws InvalidRuleException {
    String reason = definition.path("reason").asText("FieldValueInvalid");
    if (!REASONS.containsKey(reason)) {
      throw new InvalidRuleException("reason", "Unsupported value: " + quote(reason) + ": supported values: "
          + String.join(", ", REASONS.keySet().stream().sorted().toList()));
    }
    return REASONS.get(reason);
  }

  /** Transition rules run only when an old value exists, unless they opt in with optionalOldSelf. */
  boolean appliesTo(boolean oldValuePresent) {
    return !program.usesOldSelf() || optionalOldSelf || oldValuePresent;
  }

  /**
   * Evaluates the rule; returns the error line when it fails or cannot be evaluated.
   *
   * @param oldSelf the old value, or null when there is none
   */
  Optional<String> check(Object self, Object oldSelf, FieldPath path) {
    Map<String, Object> activation = new HashMap<>();
    activation.put(CelEnvironment.SELF, self);
    if (optionalOldSelf) {
      activation.put(CelEnvironment.OLD_SELF, Optional.ofNullable(oldSelf));
    } else if (oldSelf != null) {
      activation.put(CelEnvironment.OLD_SELF, oldSelf);
    }
    FieldPath errorPath = fieldPath.appendTo(path);
    Object result;
    try {
      result = program.program().eval(activation);
    } catch (CelEvaluationException e) {
      return Optional.of(errorPath + ": Invalid value: " + failureMessage(activation)
          + " (rule evaluation error: " + e.getMessage() + ")");
    }
    if (Boolean.TRUE.equals(result)) {
      return Optional.empty();
    }
    if (!(result instanceof Boolean)) {
      return Optional.of(errorPath + ": Invalid value: " + failureMessage(activation)
          + " (rule evaluated to " + result + ", not a bool)");
    }
    return Optional.of(errorPath + ": " + reason + ": " + failureMessage(activation));
  }

  /** messageExpression if it yields a usable string, else message, else the rule itself, like the API server. */
  private String failureMessage(Map<String, Object> activation) {
    if (messageExpression != null) {
      try {
        Object text = messageExpression.program().eval(activation);
        if (text instanceof String s && !s.isBlank() && !s.contains("\n")) {
          return s.trim();
        }
      } catch (CelEvaluationException e) {
        // Fall back to the static message, as the API server does.
      }
    }
    return message.isEmpty() ? "failed rule: " + rule : message;
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  /** A rule the API server would refuse when the CRD is created. */
  static final class InvalidRuleException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String property;

    InvalidRuleException(String property, String message) {
      super(message);
      this.property = property;
    }

    String property() {
      return property;
    }
  }
}
