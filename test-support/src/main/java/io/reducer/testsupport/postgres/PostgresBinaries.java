package io.reducer.testsupport.postgres;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import io.reducer.testsupport.internal.TempDirs;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * The PostgreSQL binaries zonky ships, unpacked where an unprivileged user can run them, and archives in the
 * {@code .txz} layout zonky's {@code PgBinaryResolver} returns. Uses commons-compress and xz, which zonky needs
 * anyway.
 */
final class PostgresBinaries {

  private static final Set<PosixFilePermission> WORLD_TRAVERSABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  private PostgresBinaries() {
  }

  /**
   * Unpacks zonky's archive once per machine into {@code java.io.tmpdir/embedded-pg}, keeping file modes and
   * making everything readable by all users. zonky's own copy is not used: it is created on demand by private
   * code and ignores the archive's file modes. Concurrent JVMs each unpack into a staging directory and the
   * first atomic rename wins, so a half-written copy is never visible.
   */
  static Path unpackShared() throws IOException {
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture())) {
      if (in == null) {
        throw new IllegalStateException("no PostgreSQL binaries on the classpath for " + architecture());
      }
      archive = in.readAllBytes();
    }
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    Files.createDirectories(root);
    Path target = root.resolve("unprivileged-" + digest(archive));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path staging = Files.createTempDirectory(root, "unpacking-");
    try {
      untar(archive, staging);
      Files.setPosixFilePermissions(staging, WORLD_TRAVERSABLE);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWasFaster) {
      // its copy is complete: it was renamed into place in one step
    } finally {
      TempDirs.deleteQuietly(staging);
    }
    return target;
  }

  /** A {@code .txz} with one executable {@code bin/<name>} per entry of {@code scripts}. */
  static byte[] scriptArchive(Map<String, String> scripts) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
      for (Map.Entry<String, String> script : scripts.entrySet()) {
        byte[] content = script.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("bin/" + script.getKey());
        entry.setSize(content.length);
        entry.setMode(0755);
        entry.setModTime(0); // a stable archive gives zonky a stable extraction directory
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return bytes.toByteArray();
  }

  private static void untar(byte[] archive, Path into) throws IOException {
    try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else {
          Files.createDirectories(path.getParent());
          if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            continue;
          } else if (entry.isLink()) {
            Files.createLink(path, into.resolve(entry.getLinkName()));
          } else {
            Files.copy(tar, path);
          }
        }
        Files.setPosixFilePermissions(path, readableByAll(entry.getMode(), entry.isDirectory()));
      }
    }
  }

  /** The entry's mode, plus read for everyone and execute for everyone where anyone had it (or a directory). */
  private static Set<PosixFilePermission> readableByAll(int mode, boolean directory) {
    int bits = (mode & 0777) | 0444;
    if (directory || (mode & 0111) != 0) {
      bits |= 0111;
    }
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((bits & (1 << i)) != 0) {
        permissions.add(order[i]);
      }
    }
    return permissions;
  }

  /** zonky's naming of the machine architecture in its binary artifacts. */
  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
