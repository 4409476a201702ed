package io.reducer.workloads.materializer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.ConfigException;

/**
 * The names a shadow rebuild uses, all derived from the live names and a short rebuild id, so a retried Job or a
 * restarted operator computes the same ones: the shadow table, the previous table a cutover keeps, their indexes, and
 * the shadow's projection identity in {@code projection_watermarks}.
 */
public final class ShadowNames {

  /** A rebuild id: short, so every derived name stays readable. */
  public static final String REBUILD_ID_PATTERN_TEXT = "^[a-z0-9]{1,12}$";
  /**
   * Separates the live projection's name from the shadow marker in the watermark identity. Kubernetes object names
   * (DNS subdomains) and table names (the default identity) never contain it, so no real projection can collide.
   */
  public static final String IDENTITY_MARKER = "#shadow-";
  /** Longest Kubernetes object name; a shadow identity may add the marker and a rebuild id to it. */
  public static final int MAX_PROJECTION_LENGTH = 253;
  /** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
  static final int MAX_IDENTIFIER_BYTES = 63;
  private static final Pattern REBUILD_ID = Pattern.compile(REBUILD_ID_PATTERN_TEXT);
  private static final int HASH_CHARS = 8;

  private ShadowNames() {
  }

  public static boolean isValidRebuildId(String rebuildId) {
    return rebuildId != null && REBUILD_ID.matcher(rebuildId).matches();
  }

  /** {@code <table>_shadow_<id>}, shortened with a hash of the table's name when it would pass 63 bytes. */
  public static String shadowTable(String liveTable, String rebuildId) {
    return derive(liveTable, "_shadow_" + checked(rebuildId));
  }

  /** {@code <table>_prev_<id>}: where a cutover with keepPrevious leaves the old live table. */
  public static String previousTable(String liveTable, String rebuildId) {
    return derive(liveTable, "_prev_" + checked(rebuildId));
  }

  /** The shadow's copy of the live index (or constraint) {@code liveIndex}. */
  static String shadowIndex(String liveIndex, String rebuildId) {
    return derive(liveIndex, "_shadow_" + checked(rebuildId));
  }

  /** The name the live index {@code liveIndex} takes when its table becomes the previous one. */
  static String previousIndex(String liveIndex, String rebuildId) {
    return derive(liveIndex, "_prev_" + checked(rebuildId));
  }

  /** {@code <projection>#shadow-<id>}: the shadow's watermark identity, in the live projection's namespace. */
  public static String shadowProjection(String liveProjection, String rebuildId) {
    return liveProjection + IDENTITY_MARKER + checked(rebuildId);
  }

  /** {@code reducer-materializer-<projection>-shadow-<id>}: the shadow materializers' consumer group. */
  public static String shadowGroup(String liveProjection, String rebuildId) {
    return "reducer-materializer-" + liveProjection + "-shadow-" + checked(rebuildId);
  }

  public static boolean isShadowProjection(String projection) {
    int marker = projection.lastIndexOf(IDENTITY_MARKER);
    return marker > 0 && isValidRebuildId(projection.substring(marker + IDENTITY_MARKER.length()));
  }

  /** The longest projection identity a materializer or reset accepts: a shadow's may pass 253 by its marker. */
  public static int maxProjectionLength(String projection) {
    return MAX_PROJECTION_LENGTH + (isShadowProjection(projection) ? IDENTITY_MARKER.length() + 12 : 0);
  }

  /**
   * The value of --projection of a materializer or reset ({@code table} when it is empty), when it is not longer than
   * {@link #maxProjectionLength}.
   */
  public static String checkedProjection(String given, String table) throws ConfigException {
    String projection = given.isEmpty() ? table : given;
    if (projection.length() > maxProjectionLength(projection)) {
      throw new ConfigException("--projection is longer than " + MAX_PROJECTION_LENGTH
          + " characters: use the Projection's name (a shadow rebuild's may add " + IDENTITY_MARKER
          + "<rebuild id>)");
    }
    return projection;
  }

  /**
   * {@code base + suffix} when that is a plain identifier of at most 63 bytes; otherwise base's leading valid
   * characters, an underscore, a hash of the whole base, and the suffix. The hash keeps two long names that share a
   * prefix apart; index names read from the catalog may hold any character, so the shortened form keeps only safe ones.
   */
  static String derive(String base, String suffix) {
    String plain = base + suffix;
    if (Identifiers.isValid(plain)) {
      return plain;
    }
    StringBuilder safe = new StringBuilder();
    for (char c : base.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        safe.append(c);
      }
    }
    int room = MAX_IDENTIFIER_BYTES - suffix.length() - HASH_CHARS - 1;
    String prefix = safe.substring(0, Math.min(safe.length(), room));
    if (prefix.isEmpty() || Character.isDigit(prefix.charAt(0))) {
      prefix = "r" + prefix.substring(0, Math.max(0, prefix.length() - 1));
    }
    return prefix + "_" + hash(base) + suffix;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static String checked(String rebuildId) {
    if (!isValidRebuildId(rebuildId)) {
      throw new IllegalArgumentException("invalid rebuild id '" + rebuildId + "': it must match "
          + REBUILD_ID_PATTERN_TEXT);
    }
    return rebuildId;
  }
}
