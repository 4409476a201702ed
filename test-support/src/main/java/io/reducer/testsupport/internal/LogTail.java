package io.reducer.testsupport.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a server's log so startup failures can say why. Not part of the public test API. */
public final class LogTail {

  private static final int MAX_BYTES = 256 * 1024;

  private LogTail() {
  }

  /** The last {@code lines} lines of {@code file}, framed with its name; empty if the file is missing or empty. */
  public static String of(Path file, int lines) {
    try {
      String tail = lastLines(file, 0, MAX_BYTES, lines);
      if (tail.isEmpty()) {
        return "";
      }
      return "\n--- last " + tail.lines().count() + " lines of " + file + " ---\n" + tail
          + "\n--- end of " + file.getFileName() + " ---";
    } catch (IOException e) {
      return "\n(could not read " + file + ": " + e + ")";
    }
  }

  /**
   * At most the last {@code maxLines} lines and {@code maxBytes} bytes of what {@code file} holds after byte
   * {@code fromOffset}, without a trailing newline; empty if the file is missing or has nothing there.
   */
  public static String lastLines(Path file, long fromOffset, int maxBytes, int maxLines) throws IOException {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    String text = new String(lastBytes(file, fromOffset, maxBytes), StandardCharsets.UTF_8);
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - maxLines), all.size()));
  }

  /** Only the end of the file: a long test run can leave a large log behind. */
  private static byte[] lastBytes(Path file, long fromOffset, int maxBytes) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long start = Math.max(fromOffset, channel.size() - maxBytes);
      if (start >= channel.size()) {
        return new byte[0];
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
      channel.position(start);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }
}
