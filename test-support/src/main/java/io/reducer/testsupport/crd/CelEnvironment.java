package io.reducer.testsupport.crd;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.stream.Collectors;

/**
 * The CEL environment Kubernetes gives {@code x-kubernetes-validations}: {@code self} and {@code oldSelf} (declared
 * dynamic here, since the schema is not turned into CEL types), the standard macros and functions, and the
 * cel-go extension libraries Kubernetes enables that cel-java also ships (strings, sets, bindings, optional,
 * lists, two-variable comprehensions).
 */
final class CelEnvironment {

  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  private static final CelOptions OPTIONS = CelOptions.current()
      // cel-go, which Kubernetes uses, compares int with double; without this `self.ratio > 1` fails.
      .enableHeterogeneousNumericComparisons(true)
      .enableOptionalSyntax(true)
      .build();

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar(SELF, SimpleType.DYN)
      .addVar(OLD_SELF, SimpleType.DYN)
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.bindings(),
          CelExtensions.optional(), CelExtensions.lists(), CelExtensions.comprehensions())
      .build();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .setOptions(OPTIONS)
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional(),
          CelExtensions.lists(), CelExtensions.comprehensions())
      .build();

  private CelEnvironment() {
  }

  /** A compiled expression; {@code usesOldSelf} marks a transition rule. */
  record Compiled(CelRuntime.Program program, CelKind resultKind, boolean usesOldSelf) {
  }

  /** Parses, type-checks and plans {@code expression}; the exception message lists every CEL issue. */
  static Compiled compile(String expression) throws InvalidExpressionException {
    CelAbstractSyntaxTree ast = check(expression);
    try {
      boolean usesOldSelf = ast.getReferenceMap().values().stream()
          .anyMatch(reference -> OLD_SELF.equals(reference.name()));
      return new Compiled(RUNTIME.createProgram(ast), ast.getResultType().kind(), usesOldSelf);
    } catch (CelEvaluationException e) {
      throw new InvalidExpressionException(e.getMessage());
    }
  }

  /** Parses and type-checks {@code expression}, with the macros expanded as the API server expands them. */
  static CelAbstractSyntaxTree check(String expression) throws InvalidExpressionException {
    CelValidationResult result = COMPILER.compile(expression);
    if (result.hasError()) {
      throw new InvalidExpressionException(result.getErrors().stream()
          .map(CelEnvironment::describe)
          .collect(Collectors.joining("; ")));
    }
    try {
      return result.getAst();
    } catch (CelValidationException e) {
      throw new InvalidExpressionException(e.getMessage());
    }
  }

  private static String describe(CelIssue issue) {
    return issue.getMessage() + " (at " + issue.getSourceLocation().getLine() + ":"
        + (issue.getSourceLocation().getColumn() + 1) + ")";
  }

  /** A CEL expression that does not compile. */
  static final class InvalidExpressionException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidExpressionException(String message) {
      super(message);
    }
  }
}
