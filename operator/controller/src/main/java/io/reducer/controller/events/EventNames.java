package io.reducer.controller.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of an Event: its object's name and a digest of the object's uid, the reason and the message, so the same
 * decision on the same object always gets the same name, whichever process records it.
 */
final class EventNames {

  /** An object name (at most 253 characters) leaves room for the dot and the digest within that limit. */
  private static final int MAX_PREFIX = 253 - 1 - 16;

  private EventNames() {
  }

  static String of(HasMetadata object, PlannedEvent planned) {
    String prefix = object.getMetadata().getName();
    if (prefix.length() > MAX_PREFIX) {
      prefix = prefix.substring(0, MAX_PREFIX);
    }
    return prefix + "." + digest(object.getMetadata().getUid() + "\n" + planned.reason().name() + "\n"
        + planned.message());
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
