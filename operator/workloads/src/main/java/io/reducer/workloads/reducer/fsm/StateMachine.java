package io.reducer.workloads.reducer.fsm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A declarative workflow state machine: its states, where a workflow starts, where it ends, and which trigger moves
 * it from one state to another. Validated when it is built ({@link #parse}, {@link #of}), so a bad definition fails
 * at startup with a message naming the entry, not on the first action; immutable and thread-safe afterwards.
 *
 * <p>Every name (state or trigger) is trimmed and upper-cased with {@link Locale#ROOT}, as the runbooks'
 * FSMStateManager does: {@code "pending"} and {@code "PENDING"} are the same state, {@code "start"} and
 * {@code "START"} the same trigger. The accessors return the normalized names.
 *
 * <p>{@link #parse} reads two JSON shapes, ours and the runbooks' contract one:
 *
 * <pre>
 * {"states":["PENDING","PROCESSING","COMPLETED","FAILED"], "initialState":"PENDING",
 *  "terminalStates":["COMPLETED","FAILED"],
 *  "transitions":[{"from":"PENDING","to":"PROCESSING","trigger":"start"}, {"from":"PROCESSING","to":"COMPLETED"}]}
 *
 * {"state_transitions":{"states":[{"state_name":"PENDING"}, ...], "initial_state":"PENDING",
 *  "terminal_states":["COMPLETED","FAILED"],
 *  "transitions":[{"from_state":"PENDING","to_state":"PROCESSING","trigger":"start"}]}}
 * </pre>
 *
 * The initial state defaults to the first state, the terminal states to none, a transition's trigger to its target
 * state's name.
 */
public final class StateMachine {

  /** Duplicate keys are an error like unknown ones: the second value would silently win. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /**
   * The runbooks' workflow: PENDING, PROCESSING, COMPLETED, FAILED; starts in PENDING, ends in COMPLETED or FAILED;
   * PENDING -> PROCESSING, PROCESSING -> COMPLETED, PROCESSING -> FAILED, PENDING -> FAILED, each triggered by the
   * name of its target state.
   */
  public static final StateMachine DEFAULT = defaultMachine();

  private final List<String> states;
  private final String initialState;
  private final List<String> terminalStates;
  private final List<Transition> transitions;
  private final Set<String> stateSet;
  private final Set<String> terminalSet;
  private final Set<String> triggers;
  /** from -> trigger -> to; the reducer's one lookup per action. */
  private final Map<String, Map<String, String>> targets;
  private final Map<String, List<Transition>> outgoing;

  /**
   * One edge of the machine. In what {@link StateMachine#transitions()} returns, names are normalized and the
   * trigger is never null.
   *
   * @param from the state the transition leaves
   * @param to the state it enters
   * @param trigger the action that takes it; null means the name of {@code to}
   */
  public record Transition(String from, String to, String trigger) {

    /** A transition triggered by the name of its target state. */
    public Transition(String from, String to) {
      this(from, to, null);
    }

    /** {@code FROM -TRIGGER-> TO}, or {@code FROM -> TO} when the trigger is the target's name. */
    String describe() {
      return trigger == null || trigger.equals(to) ? from + " -> " + to : from + " -" + trigger + "-> " + to;
    }
  }

  /** Where each list of the definition sits in a JSON shape, so that a message points at the right field. */
  private record Fields(String states, String initial, String terminal, String transitions, String from, String to) {
    static final Fields OURS = new Fields("states", "initialState", "terminalStates", "transitions", "from", "to");
    static final Fields CONTRACT = new Fields("state_transitions.states", "state_transitions.initial_state",
        "state_transitions.terminal_states", "state_transitions.transitions", "from_state", "to_state");
  }

  private StateMachine(List<String> states, String initialState, List<String> terminalStates,
      List<Transition> transitions) {
    this.states = List.copyOf(states);
    this.initialState = initialState;
    this.terminalStates = List.copyOf(terminalStates);
    this.transitions = List.copyOf(transitions);
    this.stateSet = Set.copyOf(states);
    this.terminalSet = Set.copyOf(terminalStates);
    Set<String> allTriggers = new LinkedHashSet<>();
    Map<String, Map<String, String>> byFrom = new HashMap<>();
    Map<String, List<Transition>> from = new HashMap<>();
    for (Transition t : transitions) {
      allTriggers.add(t.trigger());
      byFrom.computeIfAbsent(t.from(), k -> new HashMap<>()).put(t.trigger(), t.to());
      from.computeIfAbsent(t.from(), k -> new ArrayList<>()).add(t);
    }
    this.triggers = Collections.unmodifiableSet(allTriggers);
    Map<String, Map<String, String>> frozenTargets = new HashMap<>();
    byFrom.forEach((state, map) -> frozenTargets.put(state, Map.copyOf(map)));
    this.targets = Map.copyOf(frozenTargets);
    Map<String, List<Transition>> frozenOutgoing = new HashMap<>();
    from.forEach((state, list) -> frozenOutgoing.put(state, List.copyOf(list)));
    this.outgoing = Map.copyOf(frozenOutgoing);
  }

  /**
   * Reads a definition in either JSON shape (see the class comment). Unknown and duplicate fields are errors, so a
   * typo cannot silently drop part of the definition.
   */
  public static StateMachine parse(String json) throws StateMachineException {
    if (json == null || json.isBlank()) {
      throw new StateMachineException("the state machine definition is empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new StateMachineException("the state machine definition is not valid JSON: " + e.getOriginalMessage()
          + where, e);
    }
    if (!root.isObject()) {
      throw new StateMachineException("the state machine definition must be a JSON object, not " + kind(root));
    }
    return root.has("state_transitions") ? parseContract(root) : parseOurs(root);
  }

  /** Builds a machine from an object model, with the same defaults and validation as {@link #parse}. */
  public static StateMachine of(List<String> states, String initialState, List<String> terminalStates,
      List<Transition> transitions) throws StateMachineException {
    return build(Fields.OURS, states, initialState, terminalStates, transitions);
  }

  /** Trimmed and upper-cased with {@link Locale#ROOT}; null stays null. Allocates nothing for a normalized name. */
  public static String normalize(String name) {
    return name == null ? null : name.trim().toUpperCase(Locale.ROOT);
  }

  /** The declared states, normalized, in declaration order; never empty. */
  public List<String> states() {
    return states;
  }

  public String initialState() {
    return initialState;
  }

  /** The terminal states, normalized, in declaration order; possibly empty. */
  public List<String> terminalStates() {
    return terminalStates;
  }

  /** The transitions, normalized and with their triggers filled in, in declaration order. */
  public List<Transition> transitions() {
    return transitions;
  }

  /** Whether {@code name} (normalized first) is a declared state. */
  public boolean isState(String name) {
    return name != null && stateSet.contains(normalize(name));
  }

  /** Whether {@code name} (normalized first) is a terminal state. */
  public boolean isTerminal(String name) {
    return name != null && terminalSet.contains(normalize(name));
  }

  /** Whether {@code name} (normalized first) triggers some transition. */
  public boolean isTrigger(String name) {
    return name != null && triggers.contains(normalize(name));
  }

  /** The state {@code trigger} leads to from {@code from} (both normalized first), or null when there is none. */
  public String target(String from, String trigger) {
    return from == null || trigger == null ? null : next(normalize(from), normalize(trigger));
  }

  /** The transitions out of {@code state} (normalized first), in declaration order. */
  public List<Transition> transitionsFrom(String state) {
    return state == null ? List.of() : outgoing.getOrDefault(normalize(state), List.of());
  }

  /** {@link #target} for names that are already normalized and not null: the reducer's hot path. */
  String next(String from, String trigger) {
    Map<String, String> byTrigger = targets.get(from);
    return byTrigger == null ? null : byTrigger.get(trigger);
  }

  /** {@link #isState} for a normalized, non-null name. */
  boolean declares(String state) {
    return stateSet.contains(state);
  }

  /** {@link #isTrigger} for a normalized, non-null name. */
  boolean triggeredBy(String trigger) {
    return triggers.contains(trigger);
  }

  /** {@link #isTerminal} for a normalized, non-null name. */
  boolean terminal(String state) {
    return terminalSet.contains(state);
  }

  /**
   * One line for the startup log, e.g. {@code PENDING -START-> PROCESSING, PROCESSING -> COMPLETED (initial
   * PENDING; terminal COMPLETED)}; declared states that no transition mentions are listed at the end, since they are
   * usually a mistake.
   */
  public String describe() {
    StringBuilder line = new StringBuilder();
    if (transitions.isEmpty()) {
      line.append("no transitions");
    }
    Set<String> unused = new LinkedHashSet<>(states);
    for (Iterator<Transition> it = transitions.iterator(); it.hasNext(); ) {
      Transition t = it.next();
      line.append(t.describe()).append(it.hasNext() ? ", " : "");
      unused.remove(t.from());
      unused.remove(t.to());
    }
    line.append(" (initial ").append(initialState).append("; terminal ")
        .append(terminalStates.isEmpty() ? "none" : String.join(", ", terminalStates));
    if (!unused.isEmpty()) {
      line.append("; in no transition: ").append(String.join(", ", unused));
    }
    return line.append(')').toString();
  }

  /** The definition in our JSON shape, with every field written out; {@link #parse} reads it back equal. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode stateArray = root.putArray("states");
    states.forEach(stateArray::add);
    root.put("initialState", initialState);
    ArrayNode terminalArray = root.putArray("terminalStates");
    terminalStates.forEach(terminalArray::add);
    ArrayNode transitionArray = root.putArray("transitions");
    for (Transition t : transitions) {
      transitionArray.addObject().put("from", t.from()).put("to", t.to()).put("trigger", t.trigger());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tree of strings as JSON", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StateMachine that && states.equals(that.states) && initialState.equals(that.initialState)
        && terminalStates.equals(that.terminalStates) && transitions.equals(that.transitions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(states, initialState, terminalStates, transitions);
  }

  @Override
  public String toString() {
    return "StateMachine[" + describe() + "]";
  }

  private static StateMachine parseOurs(JsonNode root) throws StateMachineException {
    checkFields(root, "the state machine definition", "states", "initialState", "terminalStates", "transitions");
    List<String> states = new ArrayList<>();
    ArrayNode stateArray = requiredArray(root, "states", "states");
    for (int i = 0; i < stateArray.size(); i++) {
      states.add(text(stateArray.get(i), "states[" + i + "]"));
    }
    List<Transition> transitions = new ArrayList<>();
    ArrayNode transitionArray = requiredArray(root, "transitions", "transitions");
    for (int i = 0; i < transitionArray.size(); i++) {
      String path = "transitions[" + i + "]";
      JsonNode t = object(transitionArray.get(i), path);
      checkFields(t, path, "from", "to", "trigger");
      transitions.add(new Transition(requiredText(t, "from", path), requiredText(t, "to", path),
          optionalText(t, "trigger", path)));
    }
    return build(Fields.OURS, states, optionalText(root, "initialState", ""),
        optionalTexts(root, "terminalStates", ""), transitions);
  }

  private static StateMachine parseContract(JsonNode root) throws StateMachineException {
    checkFields(root, "the state machine definition (runbooks' contract shape)", "state_transitions");
    JsonNode body = object(root.get("state_transitions"), "state_transitions");
    checkFields(body, "state_transitions", "states", "initial_state", "terminal_states", "transitions");
    List<String> states = new ArrayList<>();
    ArrayNode stateArray = requiredArray(body, "states", "state_transitions.states");
    for (int i = 0; i < stateArray.size(); i++) {
      String path = "state_transitions.states[" + i + "]";
      JsonNode state = object(stateArray.get(i), path);
      checkFields(state, path, "state_name");
      states.add(requiredText(state, "state_name", path));
    }
    List<Transition> transitions = new ArrayList<>();
    ArrayNode transitionArray = requiredArray(body, "transitions", "state_transitions.transitions");
    for (int i = 0; i < transitionArray.size(); i++) {
      String path = "state_transitions.transitions[" + i + "]";
      JsonNode t = object(transitionArray.get(i), path);
      checkFields(t, path, "from_state", "to_state", "trigger");
      transitions.add(new Transition(requiredText(t, "from_state", path), requiredText(t, "to_state", path),
          optionalText(t, "trigger", path)));
    }
    return build(Fields.CONTRACT, states, optionalText(body, "initial_state", "state_transitions"),
        optionalTexts(body, "terminal_states", "state_transitions"), transitions);
  }

  private static StateMachine build(Fields fields, List<String> declared, String initial, List<String> terminal,
      List<Transition> edges) throws StateMachineException {
    if (declared == null || declared.isEmpty()) {
      throw new StateMachineException("the state machine declares no states (" + fields.states() + " is empty)");
    }
    Map<String, Integer> positions = new LinkedHashMap<>();
    for (int i = 0; i < declared.size(); i++) {
      String name = name(declared.get(i), fields.states() + "[" + i + "]");
      Integer first = positions.putIfAbsent(name, i);
      if (first != null) {
        throw new StateMachineException("state " + name + " is declared twice: " + fields.states() + "[" + first
            + "] '" + declared.get(first) + "' and " + fields.states() + "[" + i + "] '" + declared.get(i)
            + "' (names are compared trimmed and upper-cased)");
      }
    }
    List<String> states = new ArrayList<>(positions.keySet());
    String known = " (states: " + String.join(", ", states) + ")";

    String initialState = states.get(0);
    if (initial != null) {
      initialState = name(initial, fields.initial());
      if (!positions.containsKey(initialState)) {
        throw new StateMachineException("the initial state " + initialState + " is not a declared state" + known);
      }
    }

    Set<String> terminalStates = new LinkedHashSet<>();
    List<String> terminalList = terminal == null ? List.of() : terminal;
    for (int i = 0; i < terminalList.size(); i++) {
      String name = name(terminalList.get(i), fields.terminal() + "[" + i + "]");
      if (!positions.containsKey(name)) {
        throw new StateMachineException("the terminal state " + name + " is not a declared state" + known);
      }
      if (!terminalStates.add(name)) {
        throw new StateMachineException("the terminal state " + name + " is listed twice in " + fields.terminal());
      }
    }

    List<Transition> transitions = new ArrayList<>();
    // from -> trigger -> index in edges, to name the earlier entry of a conflict.
    Map<String, Map<String, Integer>> seen = new HashMap<>();
    List<Transition> edgeList = edges == null ? List.of() : edges;
    for (int i = 0; i < edgeList.size(); i++) {
      String path = fields.transitions() + "[" + i + "]";
      Transition raw = edgeList.get(i);
      if (raw == null) {
        throw new StateMachineException(path + " is null");
      }
      String from = name(raw.from(), path + "." + fields.from());
      String to = name(raw.to(), path + "." + fields.to());
      String trigger = raw.trigger() == null ? to : name(raw.trigger(), path + ".trigger");
      Transition t = new Transition(from, to, trigger);
      String entry = path + " (" + t.describe() + ")";
      if (!positions.containsKey(from)) {
        throw new StateMachineException(entry + ": its source " + from + " is not a declared state" + known);
      }
      if (!positions.containsKey(to)) {
        throw new StateMachineException(entry + ": its target " + to + " is not a declared state" + known);
      }
      if (terminalStates.contains(from)) {
        throw new StateMachineException(entry + " leaves " + from + ", a terminal state; no transition may leave a "
            + "terminal state");
      }
      Integer first = seen.computeIfAbsent(from, k -> new HashMap<>()).putIfAbsent(trigger, i);
      if (first == null) {
        transitions.add(t);
        continue;
      }
      Transition earlier = new Transition(normalize(edgeList.get(first).from()), normalize(edgeList.get(first).to()),
          trigger);
      if (!earlier.to().equals(to)) {
        throw new StateMachineException(entry + " conflicts with " + fields.transitions() + "[" + first + "] ("
            + earlier.describe() + "): trigger " + trigger + " from " + from + " cannot lead to both " + earlier.to()
            + " and " + to);
      }
      // The same edge twice is harmless; keep one so that describe() and toJson() show it once.
    }
    return new StateMachine(states, initialState, new ArrayList<>(terminalStates), transitions);
  }

  private static String name(String raw, String what) throws StateMachineException {
    if (raw == null || raw.isBlank()) {
      throw new StateMachineException(what + " is " + (raw == null ? "missing" : "blank") + "; a name is required");
    }
    return normalize(raw);
  }

  private static void checkFields(JsonNode node, String where, String... known) throws StateMachineException {
    List<String> knownList = List.of(known);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!knownList.contains(field)) {
        throw new StateMachineException("unknown field '" + field + "' in " + where + " (expected "
            + String.join(", ", knownList) + ")");
      }
    }
  }

  private static JsonNode object(JsonNode node, String path) throws StateMachineException {
    if (node == null || !node.isObject()) {
      throw new StateMachineException(path + " must be a JSON object, not " + kind(node));
    }
    return node;
  }

  private static ArrayNode requiredArray(JsonNode parent, String field, String path) throws StateMachineException {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw new StateMachineException("missing field '" + path + "'"
          + (path.equals("states") ? " (or 'state_transitions' for the runbooks' contract shape)" : ""));
    }
    if (!node.isArray()) {
      throw new StateMachineException(path + " must be an array, not " + kind(node));
    }
    return (ArrayNode) node;
  }

  private static String requiredText(JsonNode parent, String field, String path) throws StateMachineException {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw new StateMachineException("missing field '" + field + "' in " + path);
    }
    return text(node, path + "." + field);
  }

  /** The field's text, or null when it is absent or JSON null (both mean: use the default). */
  private static String optionalText(JsonNode parent, String field, String parentPath) throws StateMachineException {
    JsonNode node = parent.get(field);
    return node == null || node.isNull() ? null : text(node, join(parentPath, field));
  }

  private static List<String> optionalTexts(JsonNode parent, String field, String parentPath)
      throws StateMachineException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    String path = join(parentPath, field);
    if (!node.isArray()) {
      throw new StateMachineException(path + " must be an array, not " + kind(node));
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      names.add(text(node.get(i), path + "[" + i + "]"));
    }
    return names;
  }

  private static String text(JsonNode node, String path) throws StateMachineException {
    if (!node.isTextual()) {
      throw new StateMachineException(path + " must be a string, not " + kind(node));
    }
    return node.textValue();
  }

  private static String join(String parentPath, String field) {
    return parentPath.isEmpty() ? field : parentPath + "." + field;
  }

  private static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static StateMachine defaultMachine() {
    try {
      return of(List.of("PENDING", "PROCESSING", "COMPLETED", "FAILED"), "PENDING", List.of("COMPLETED", "FAILED"),
          List.of(new Transition("PENDING", "PROCESSING"), new Transition("PROCESSING", "COMPLETED"),
              new Transition("PROCESSING", "FAILED"), new Transition("PENDING", "FAILED")));
    } catch (StateMachineException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
