package io.reducer.testsupport.crd;

import static io.reducer.testsupport.crd.CelCostModel.LIST_CREATE_BASE_COST;
import static io.reducer.testsupport.crd.CelCostModel.MAP_CREATE_BASE_COST;
import static io.reducer.testsupport.crd.CelCostModel.REGEX_STRING_LENGTH_COST_FACTOR;
import static io.reducer.testsupport.crd.CelCostModel.SELECT_AND_IDENT_COST;
import static io.reducer.testsupport.crd.CelCostModel.STRING_TRAVERSAL_COST_FACTOR;
import static io.reducer.testsupport.crd.CelCostModel.multiplyByCostFactor;
import static io.reducer.testsupport.crd.CelCostModel.saturatedAdd;
import static io.reducer.testsupport.crd.CelCostModel.saturatedMultiply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The worst-case cost of one evaluation of a checked CEL expression, computed the way cel-go's checker/cost.go
 * does (with the sizes of {@link CelCostModel}): an identifier or field selection costs 1; a comprehension costs
 * its range, its initial value and its result plus, for each element of the largest possible range, its loop
 * condition and step; {@code matches} costs the string's traversal times a quarter of the pattern's length;
 * comparisons, {@code startsWith}, concatenation and conversion to bytes traverse the strings; {@code in} a list
 * walks the list; every other supported function costs 1 plus its arguments.
 *
 * <p>One refinement that never underestimates: on the right of {@code size(x) <= n &&} (or {@code <}), x is at
 * most n code points, because {@code &&} does not evaluate its right side otherwise. The API server does not
 * narrow, but it estimates map keys as empty, so a rule that passes here passes there.
 *
 * <p>A function without a cost model here is an error rather than a guess.
 */
final class ExpressionCost {

  /** Functions that cost 1 plus their arguments in cel-go (conversions, arithmetic, logic on scalars). */
  private static final Set<String> CONSTANT_COST = Set.of("!_", "-_", "_-_", "_*_", "_/_", "_%_",
      "@not_strictly_false", "size", "timestamp", "duration", "int", "uint", "double", "bool", "dyn", "type");

  private static final Set<String> COMPARISONS = Set.of("_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_");

  /** A value of the expression: what computing it costs, how large it can be, and its schema when known. */
  record Value(long cost, long size, JsonNode schema) {
    Value withCost(long newCost) {
      return new Value(newCost, size, schema);
    }
  }

  private ExpressionCost() {
  }

  /** The cost of one evaluation with {@code self} (and {@code oldSelf}) a value of {@code schema}. */
  static long of(CelExpr expression, JsonNode schema) {
    Map<String, Value> scope = new HashMap<>();
    Value self = new Value(0, CelCostModel.size(schema), schema);
    scope.put(CelEnvironment.SELF, self);
    scope.put(CelEnvironment.OLD_SELF, self);
    return eval(expression, scope).cost();
  }

  private static Value eval(CelExpr e, Map<String, Value> scope) {
    switch (e.getKind()) {
      case CONSTANT:
        return constant(e.constant());
      case IDENT:
        Value bound = scope.get(e.ident().name());
        return bound == null ? new Value(SELECT_AND_IDENT_COST, CelCostModel.MAX_REQUEST_SIZE_BYTES, null)
            : bound.withCost(SELECT_AND_IDENT_COST);
      case SELECT:
        return select(e, scope);
      case CALL:
        return call(e.call(), scope);
      case LIST:
        return list(e, scope);
      case MAP:
        long cost = MAP_CREATE_BASE_COST;
        for (CelExpr.CelMap.Entry entry : e.map().entries()) {
          cost = saturatedAdd(cost, saturatedAdd(eval(entry.key(), scope).cost(), eval(entry.value(), scope).cost()));
        }
        return new Value(cost, e.map().entries().size(), null);
      case COMPREHENSION:
        return comprehension(e.comprehension(), scope);
      default:
        throw new IllegalArgumentException("no cost model for CEL expression kind " + e.getKind());
    }
  }

  private static Value constant(CelConstant constant) {
    long size = constant.getKind() == CelConstant.Kind.STRING_VALUE
        ? constant.stringValue().codePointCount(0, constant.stringValue().length()) : 1;
    return new Value(0, size, null);
  }

  private static Value select(CelExpr e, Map<String, Value> scope) {
    Value operand = eval(e.select().operand(), scope);
    long cost = saturatedAdd(operand.cost(), SELECT_AND_IDENT_COST);
    if (e.select().testOnly()) {
      return new Value(cost, 1, null);
    }
    JsonNode child = operand.schema() == null ? null : Schemas.childSchema(operand.schema(), e.select().field());
    return new Value(cost, CelCostModel.size(child), child);
  }

  private static Value list(CelExpr e, Map<String, Value> scope) {
    long cost = LIST_CREATE_BASE_COST;
    for (CelExpr element : e.list().elements()) {
      cost = saturatedAdd(cost, eval(element, scope).cost());
    }
    return new Value(cost, e.list().elements().size(), null);
  }

  private static Value call(CelCall call, Map<String, Value> scope) {
    String function = call.function();
    if ("_&&_".equals(function)) {
      Value left = eval(call.args().get(0), scope);
      Value right = eval(call.args().get(1), narrowed(call.args().get(0), scope));
      return new Value(saturatedAdd(left.cost(), right.cost()), 1, null);
    }
    List<Value> args = new ArrayList<>();
    call.target().ifPresent(target -> args.add(eval(target, scope)));
    for (CelExpr arg : call.args()) {
      args.add(eval(arg, scope));
    }
    long argCost = 0;
    for (Value arg : args) {
      argCost = saturatedAdd(argCost, arg.cost());
    }
    if ("_||_".equals(function)) {
      return new Value(argCost, 1, null);
    }
    if ("_?_:_".equals(function)) {
      long branches = Math.max(args.get(1).cost(), args.get(2).cost());
      return new Value(saturatedAdd(args.get(0).cost(), branches), Math.max(args.get(1).size(), args.get(2).size()),
          null);
    }
    if (CONSTANT_COST.contains(function)) {
      return new Value(saturatedAdd(argCost, 1), 1, null);
    }
    if (COMPARISONS.contains(function)) {
      long shorter = Math.min(args.get(0).size(), args.get(1).size());
      return new Value(saturatedAdd(argCost, Math.max(1, multiplyByCostFactor(shorter, STRING_TRAVERSAL_COST_FACTOR))),
          1, null);
    }
    switch (function) {
      case "matches": {
        long string = multiplyByCostFactor(saturatedAdd(args.get(0).size(), 1), STRING_TRAVERSAL_COST_FACTOR);
        long regex = multiplyByCostFactor(args.get(1).size(), REGEX_STRING_LENGTH_COST_FACTOR);
        return new Value(saturatedAdd(argCost, saturatedMultiply(string, regex)), 1, null);
      }
      case "startsWith":
      case "endsWith":
        return new Value(saturatedAdd(argCost, multiplyByCostFactor(args.get(1).size(), STRING_TRAVERSAL_COST_FACTOR)),
            1, null);
      case "contains":
        return new Value(saturatedAdd(argCost, saturatedMultiply(
            multiplyByCostFactor(args.get(0).size(), STRING_TRAVERSAL_COST_FACTOR),
            multiplyByCostFactor(args.get(1).size(), STRING_TRAVERSAL_COST_FACTOR))), 1, null);
      case "@in":
        // cel-go charges every `in` as a walk of the list (a map lookup would be cheaper; not relied upon).
        return new Value(saturatedAdd(argCost, args.get(1).size()), 1, null);
      case "_+_": {
        long size = saturatedAdd(args.get(0).size(), args.get(1).size());
        return new Value(saturatedAdd(argCost, multiplyByCostFactor(size, STRING_TRAVERSAL_COST_FACTOR)), size, null);
      }
      case "bytes":
      case "string": {
        // Conversions between strings and bytes traverse them; a character may become 4 bytes.
        long size = args.get(args.size() - 1).size();
        return new Value(saturatedAdd(argCost, multiplyByCostFactor(size, STRING_TRAVERSAL_COST_FACTOR)),
            saturatedMultiply(size, 4), null);
      }
      case "_[_]": {
        JsonNode container = args.get(0).schema();
        JsonNode element = container == null ? null
            : Schemas.items(container) != null ? Schemas.items(container) : Schemas.additionalProperties(container);
        return new Value(saturatedAdd(argCost, 1), CelCostModel.size(element), element);
      }
      default:
        throw new IllegalArgumentException("no cost model for CEL function " + function);
    }
  }

  /** The scope for the right side of {@code left && right}: narrowed by a {@code size(x) <= n} on the left. */
  private static Map<String, Value> narrowed(CelExpr left, Map<String, Value> scope) {
    if (left.getKind() != CelExpr.ExprKind.Kind.CALL) {
      return scope;
    }
    CelCall comparison = left.call();
    boolean atMost = "_<=_".equals(comparison.function());
    if (!atMost && !"_<_".equals(comparison.function())) {
      return scope;
    }
    CelExpr measured = comparison.args().get(0);
    CelExpr limit = comparison.args().get(1);
    if (measured.getKind() != CelExpr.ExprKind.Kind.CALL || !"size".equals(measured.call().function())
        || limit.getKind() != CelExpr.ExprKind.Kind.CONSTANT
        || limit.constant().getKind() != CelConstant.Kind.INT64_VALUE) {
      return scope;
    }
    CelExpr sized = measured.call().target().orElse(measured.call().args().isEmpty() ? null
        : measured.call().args().get(0));
    if (sized == null || sized.getKind() != CelExpr.ExprKind.Kind.IDENT || !scope.containsKey(sized.ident().name())) {
      return scope;
    }
    long codePoints = Math.max(0, limit.constant().int64Value() - (atMost ? 0 : 1));
    Value variable = scope.get(sized.ident().name());
    Map<String, Value> narrowed = new HashMap<>(scope);
    narrowed.put(sized.ident().name(), new Value(variable.cost(),
        Math.min(variable.size(), saturatedMultiply(codePoints, 4)), variable.schema()));
    return narrowed;
  }

  private static Value comprehension(CelComprehension c, Map<String, Value> scope) {
    Value range = eval(c.iterRange(), scope);
    Value init = eval(c.accuInit(), scope);
    Map<String, Value> inner = new HashMap<>(scope);
    inner.put(c.accuVar(), new Value(0, init.size(), init.schema()));
    if (isBind(c)) {
      Value result = eval(c.result(), inner);
      return new Value(saturatedAdd(saturatedAdd(range.cost(), init.cost()), result.cost()), result.size(),
          result.schema());
    }
    bindIterationVariables(c, range, inner);
    long perElement = saturatedAdd(eval(c.loopCondition(), inner).cost(), eval(c.loopStep(), inner).cost());
    long cost = saturatedAdd(saturatedAdd(range.cost(), init.cost()), eval(c.result(), inner).cost());
    cost = saturatedAdd(cost, saturatedMultiply(range.size(), perElement));
    long size = c.accuInit().getKind() == CelExpr.ExprKind.Kind.CONSTANT ? 1 : range.size();
    return new Value(cost, size, null);
  }

  /** A list's variable is an item; a map's is a key (the second variable of two is the item or the value). */
  private static void bindIterationVariables(CelComprehension c, Value range, Map<String, Value> inner) {
    JsonNode schema = range.schema();
    JsonNode items = schema == null ? null : Schemas.items(schema);
    JsonNode values = schema == null ? null : Schemas.additionalProperties(schema);
    Value element = new Value(0, CelCostModel.size(items != null ? items : values), items != null ? items : values);
    if (schema == null) {
      element = new Value(0, CelCostModel.MAX_REQUEST_SIZE_BYTES, null);
    }
    Value key = items != null ? new Value(0, 1, null) : new Value(0, CelCostModel.mapKeySize(), null);
    if (c.iterVar2().isEmpty()) {
      inner.put(c.iterVar(), items != null || schema == null ? element : key);
    } else {
      inner.put(c.iterVar(), key);
      inner.put(c.iterVar2(), element);
    }
  }

  /** cel.bind(v, init, result): a comprehension over an empty list whose loop never runs. */
  private static boolean isBind(CelComprehension c) {
    return c.iterRange().getKind() == CelExpr.ExprKind.Kind.LIST && c.iterRange().list().elements().isEmpty()
        && c.loopCondition().getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && c.loopCondition().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
        && !c.loopCondition().constant().booleanValue();
  }
}
