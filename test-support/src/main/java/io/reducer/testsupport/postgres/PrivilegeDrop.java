package io.reducer.testsupport.postgres;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * Runs PostgreSQL as {@code nobody} when the JVM is root and zonky cannot use {@code unshare -U} (see
 * {@link PostgresServer}). zonky runs {@code bin/initdb} and {@code bin/pg_ctl} from the directory its
 * {@link PgBinaryResolver}'s archive unpacks to; this resolver's archive holds scripts there that {@code exec}
 * {@code setpriv} into the real binaries. pg_ctl and initdb start {@code postgres} from their own directory, so
 * the server inherits the unprivileged user.
 */
final class PrivilegeDrop {

  private static final String USER = "nobody";
  private static final List<String> BINARIES = List.of("initdb", "pg_ctl", "postgres");

  /** One resolver per JVM: zonky caches its unpacked directory per resolver instance. */
  private static PgBinaryResolver sharedResolver;

  private PrivilegeDrop() {
  }

  /** An instance when PostgreSQL would otherwise be started as root, else null. */
  static PrivilegeDrop ifNeeded() {
    if (new UnixSystem().getUid() != 0 || LinuxUtils.isUnshareAvailable()) {
      return null;
    }
    return new PrivilegeDrop();
  }

  /** The data directory must belong to the server's user, and its parents must let that user through. */
  void prepareDataDirectory(Path parent, Path dataDirectory) {
    try {
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
      Files.createDirectories(dataDirectory);
      Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
      UserPrincipal user = dataDirectory.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(USER);
      Files.setOwner(dataDirectory, user);
    } catch (IOException e) {
      throw new UncheckedIOException("could not hand the data directory to " + USER, e);
    }
  }

  PgBinaryResolver binaryResolver() {
    synchronized (PrivilegeDrop.class) {
      if (sharedResolver == null) {
        try {
          Path real = PostgresBinaries.unpackShared();
          String setpriv = findSetpriv();
          Map<String, String> scripts = new LinkedHashMap<>();
          for (String binary : BINARIES) {
            scripts.put(binary, script(setpriv, real.resolve("bin").resolve(binary)));
          }
          byte[] archive = PostgresBinaries.scriptArchive(scripts);
          sharedResolver = (system, architecture) -> new ByteArrayInputStream(archive);
        } catch (IOException e) {
          throw new UncheckedIOException("could not prepare PostgreSQL binaries for " + USER, e);
        }
      }
      return sharedResolver;
    }
  }

  private static String script(String setpriv, Path binary) {
    return String.join("\n",
        "#!/bin/sh",
        "# PostgreSQL refuses to run as root: run the real binary as " + USER + ".",
        "# zonky passes absolute paths, so leaving a working directory " + USER + " may not read is safe.",
        "cd / || exit 1",
        "exec " + quote(setpriv) + " --reuid=" + USER + " --regid=\"$(id -g " + USER + ")\" --clear-groups -- "
            + quote(binary.toString()) + " \"$@\"",
        "");
  }

  private static String findSetpriv() {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin:/usr/sbin:/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "setpriv"))) {
        return Path.of(dir, "setpriv").toString();
      }
    }
    throw new IllegalStateException("running as root without user namespaces, PostgreSQL needs setpriv "
        + "(package util-linux) to drop to " + USER);
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
