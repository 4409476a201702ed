package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ValidatingAdmissionPolicy's variables and validations evaluated with cel-java, as the API server evaluates them
 * for one admission request: {@code object}, {@code oldObject} (null on CREATE), {@code request} and
 * {@code variables}, with the standard macros and the strings extension. A model, not the API server: every
 * variable is dynamically typed (no type check against the CRD schemas), no cost limits, no {@code params},
 * {@code namespaceObject} or {@code authorizer}; matchConstraints are left to the caller. A validation that fails
 * to evaluate refuses the request, as failurePolicy Fail does.
 */
final class AdmissionPolicy {

  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .build();
  private static final List<String> ROOT = List.of("object", "oldObject", "request", "variables");

  private final List<Compiled> variables = new ArrayList<>();
  private final List<Compiled> validations = new ArrayList<>();
  private final List<Compiled> messages = new ArrayList<>();

  /** The outcome: allowed, or refused with the validations' messages. */
  record Decision(boolean allowed, List<String> messages) {
  }

  private record Compiled(String name, String expression, CelRuntime.Program program) {
  }

  AdmissionPolicy(ValidatingAdmissionPolicy policy) {
    CelCompiler compiler = compiler();
    CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
        .addLibraries(CelExtensions.strings()).build();
    for (Variable variable : policy.getSpec().getVariables()) {
      variables.add(compile(compiler, runtime, variable.getName(), variable.getExpression()));
    }
    for (Validation validation : policy.getSpec().getValidations()) {
      validations.add(compile(compiler, runtime, "validation", validation.getExpression()));
      messages.add(validation.getMessageExpression() == null ? null
          : compile(compiler, runtime, "messageExpression", validation.getMessageExpression()));
    }
  }

  /** The policy's decision on {@code operation} of {@code object} by a user in {@code groups}. */
  Decision admit(String operation, JsonNode object, JsonNode oldObject, String user, List<String> groups) {
    Map<String, Object> activation = new LinkedHashMap<>();
    activation.put("object", toCel(object));
    activation.put("oldObject", toCel(oldObject));
    activation.put("request", Map.of("operation", operation,
        "userInfo", Map.of("username", user, "groups", List.copyOf(groups))));
    Map<String, Object> values = new LinkedHashMap<>();
    activation.put("variables", values);
    for (Compiled variable : variables) {
      try {
        values.put(variable.name(), variable.program().eval(activation));
      } catch (CelEvaluationException e) {
        // An unused variable may fail harmlessly; a validation reading it fails below.
        continue;
      }
    }
    List<String> refusals = new ArrayList<>();
    for (int i = 0; i < validations.size(); i++) {
      Object result;
      try {
        result = validations.get(i).program().eval(activation);
      } catch (CelEvaluationException e) {
        refusals.add("evaluation error in " + validations.get(i).expression() + ": " + e.getMessage());
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        refusals.add(message(i, activation));
      }
    }
    return new Decision(refusals.isEmpty(), refusals);
  }

  private String message(int index, Map<String, Object> activation) {
    Compiled message = messages.get(index);
    if (message == null) {
      return "failed: " + validations.get(index).expression();
    }
    try {
      return String.valueOf(message.program().eval(activation));
    } catch (CelEvaluationException e) {
      return "failed: " + validations.get(index).expression();
    }
  }

  private static CelCompiler compiler() {
    var builder = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addLibraries(CelExtensions.strings());
    ROOT.forEach(name -> builder.addVar(name, SimpleType.DYN));
    return builder.build();
  }

  private static Compiled compile(CelCompiler compiler, CelRuntime runtime, String name, String expression) {
    try {
      return new Compiled(name, expression, runtime.createProgram(compiler.compile(expression).getAst()));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException(name + " does not compile: " + expression + ": " + e.getMessage(), e);
    }
  }

  /** JSON as CEL sees it: maps, lists, strings, booleans, int for integral numbers, null. */
  private static Object toCel(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.properties().forEach(field -> map.put(field.getKey(), toCel(field.getValue())));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.asText();
  }
}
