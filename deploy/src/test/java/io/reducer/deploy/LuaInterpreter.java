package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
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
