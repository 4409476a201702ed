package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs Argo CD Lua scripts in Debian's {@code lua5.1}, the language version of gopher-lua that Argo CD embeds, with
 * the object handed over as a Lua table literal the way Argo CD hands over the live object. A missing interpreter is
 * a failure, not a skip: .ci/run installs it.
 */
final class LuaInterpreter {

  static final String COMMAND = "lua5.1";

  private LuaInterpreter() {
  }

  /** Runs a health script on {@code obj}; returns its {@code hs.status} and {@code hs.message}. */
  static Health health(String script, JsonNode obj) {
    String program = "obj = " + literal(obj) + "\n"
        + "local hs = (function()\n" + script + "\nend)()\n"
        + "io.write(tostring(hs.status), \"\\n\", tostring(hs.message))\n";
    String out = run(program);
    int newline = out.indexOf('\n');
    return new Health(out.substring(0, newline), out.substring(newline + 1));
  }

  /** Runs an action discovery script on {@code obj}; returns each action's name and whether it is disabled. */
  static Map<String, Boolean> actions(String discovery, JsonNode obj) {
    String program = "obj = " + literal(obj) + "\n"
        + "local actions = (function()\n" + discovery + "\nend)()\n"
        + "for name, action in pairs(actions) do io.write(name, \"=\", tostring(action.disabled == true), \"\\n\") end\n";
    Map<String, Boolean> disabled = new TreeMap<>();
    for (String line : run(program).split("\n")) {
      if (!line.isEmpty()) {
        disabled.put(line.substring(0, line.indexOf('=')), Boolean.parseBoolean(line.substring(line.indexOf('=') + 1)));
      }
    }
    return disabled;
  }

  /**
   * Runs an action script on {@code obj}; returns the annotations of the object it returns, or fails when the
   * action returned another object or touched its spec or status.
   */
  static Map<String, String> act(String action, JsonNode obj) {
    String program = "obj = " + literal(obj) + "\n"
        + "local before, spec, status = obj, obj.spec, obj.status\n"
        + "local after = (function()\n" + action + "\nend)()\n"
        + "assert(after == before and after.spec == spec and after.status == status, 'changed more than metadata')\n"
        + "for k, v in pairs(after.metadata.annotations or {}) do io.write(k, \"=\", v, \"\\n\") end\n";
    Map<String, String> annotations = new TreeMap<>();
    for (String line : run(program).split("\n")) {
      if (!line.isEmpty()) {
        annotations.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    return annotations;
  }

  /** What a health script returned. */
  record Health(String status, String message) {
  }

  static String run(String program) {
    Process process;
    try {
      process = new ProcessBuilder(COMMAND, "-").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(COMMAND + " is needed to test the Argo CD Lua scripts and was not found on PATH; "
          + "install it (Debian/Ubuntu: apt-get install lua5.1; .ci/run does)", e);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(program.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("could not feed " + COMMAND, e);
    }
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(COMMAND + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(COMMAND + " failed (" + process.exitValue() + "):\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("could not read " + COMMAND + "'s output", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A JSON value as a Lua expression: objects and arrays become tables (arrays 1-based), null nil. */
  static String literal(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(out, node);
    return out.toString();
  }

  private static void append(StringBuilder out, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("nil");
    } else if (node.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append('[');
        string(out, field.getKey());
        out.append("]=");
        append(out, field.getValue());
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('{');
      for (JsonNode element : node) {
        append(out, element);
        out.append(',');
      }
      out.append('}');
    } else if (node.isNumber()) {
      out.append(node.asText());
    } else if (node.isBoolean()) {
      out.append(node.asBoolean());
    } else {
      string(out, node.asText());
    }
  }

  /** A Lua string literal: every byte that is not printable ASCII, and the quote and backslash, as \ddd. */
  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append((char) c);
      } else {
        out.append('\\').append(String.format("%03d", c));
      }
    }
    out.append('"');
  }
}
