package io.reducer.testsupport.cluster;

import java.util.concurrent.ThreadLocalRandom;

/** Generated name parts the way Kubernetes spells them: no vowels, no look-alike characters. */
final class KubeNames {

  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private KubeNames() {
  }

  /** Five random characters, as in {@code web-7d4b9c8f6-x2k9q}. */
  static String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHANUMS.charAt(ThreadLocalRandom.current().nextInt(ALPHANUMS.length())));
    }
    return suffix.toString();
  }

  /** Kubernetes' SafeEncodeString: maps every character onto the alphabet above. */
  static String safeEncode(String value) {
    StringBuilder encoded = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      encoded.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
    }
    return encoded.toString();
  }
}
