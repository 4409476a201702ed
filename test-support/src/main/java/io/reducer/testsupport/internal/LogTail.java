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
      if (!Files.isRegularFile(file) || Files.size(file) == 0) {
        return "";
      }
      String text = new String(lastBytes(file), StandardCharsets.UTF_8);
      List<String> all = text.lines().toList();
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return "\n--- last " + tail.size() + " lines of " + file + " ---\n" + String.join("\n", tail)
          + "\n--- end of " + file.getFileName() + " ---";
    } catch (IOException e) {
      return "\n(could not read " + file + ": " + e + ")";
    }
  }

  /** Only the end of the file: a long test run can leave a large log behind. */
  private static byte[] lastBytes(Path file) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long start = Math.max(0, channel.size() - MAX_BYTES);
      ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
      channel.position(start);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }
}
