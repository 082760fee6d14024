package io.pontoon.peering.foreigncluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.jar.Attributes;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of the virtual kubelet's classes, so that its JVM maps them
 * instead of loading, parsing and verifying thousands of classes on every start: that start is on
 * the path from {@code pontoon peer} to a Ready virtual node. Gateways run from the same jar and
 * map the same archive once it exists ({@link #mapIfPresent}): a restarted gateway's start is
 * the time its peering carries no traffic.
 *
 * <p>A JDK 17 JVM writes no archive of itself when it ends on SIGTERM, which is how a virtual
 * kubelet ends. So the first launch records the classes it loads ({@code -XX:DumpLoadedClassList});
 * once it has been up for {@code recordFor}, a separate {@code java -Xshare:dump} turns that list
 * into the archive, and later launches (restarts, other peerings, the next agent) map it.
 *
 * <p>The archive is keyed by the JVM and by each classpath jar's path, size and modification
 * time, so a rebuilt jar or another JDK gets a new one and the old one is removed. Only a
 * classpath of plain jars qualifies: the JVM archives no classes from directories, and jars named
 * by a manifest {@code Class-Path} would escape the key. A missing or unusable archive costs
 * nothing: under {@code -Xshare:auto} the JVM starts without it.
 */
public final class ClassDataArchive {
  private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
  private static final String PREFIX = "vk-";
  private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(3);

  private final Path dir;
  private final String java;
  private final String classPath;
  private final Duration recordFor;
  private final String key;
  private final String disabledBecause;
  private final AtomicBoolean recording = new AtomicBoolean();

  private ClassDataArchive(Path dir, String java, String classPath, Duration recordFor, String key,
      String disabledBecause) {
    this.dir = dir;
    this.java = java;
    this.classPath = classPath;
    this.recordFor = recordFor;
    this.key = key;
    this.disabledBecause = disabledBecause;
  }

  /**
   * An archive for children started with {@code classPath} by this JVM's {@code java}, kept in
   * {@code dir}; disabled (see {@link #disabledBecause}) when the classpath does not qualify.
   */
  public static ClassDataArchive of(Path dir, String classPath, Duration recordFor) {
    String javaHome = System.getProperty("java.home");
    String java = Path.of(javaHome, "bin", "java").toString();
    StringBuilder identity = new StringBuilder(javaHome).append('\n')
        .append(System.getProperty("java.vm.version")).append('\n');
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path p = Path.of(entry).toAbsolutePath();
      Optional<String> problem = unsuitable(p);
      if (problem.isPresent()) return new ClassDataArchive(dir, java, classPath, recordFor, null, problem.get());
      try {
        identity.append(p).append(' ').append(Files.size(p)).append(' ')
            .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
      } catch (IOException e) {
        return new ClassDataArchive(dir, java, classPath, recordFor, null, "cannot read " + p + ": " + e.getMessage());
      }
    }
    return new ClassDataArchive(dir, java, classPath, recordFor, sha256(identity.toString()).substring(0, 20), null);
  }

  /** The user's cache directory for Pontoon: {@code $XDG_CACHE_HOME/pontoon}, else {@code ~/.cache/pontoon}. */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("pontoon");
  }

  /** Why no archive is made or used for this classpath, if so. */
  public Optional<String> disabledBecause() {
    return Optional.ofNullable(disabledBecause);
  }

  /** Where the archive is (or will be). */
  public Path archive() {
    return dir.resolve(PREFIX + key + ".jsa");
  }

  /**
   * JVM options that map the archive when it is there, and nothing otherwise: for short-lived or
   * restarted children from the same classpath (gateways) that should not record a list of their own.
   */
  public List<String> mapIfPresent() {
    return disabledBecause == null && Files.isReadable(archive()) ? mapping() : List.of();
  }

  /**
   * Maps the archive at the address it was written for: since 17.0.x the JDK maps it elsewhere by
   * default and relocates every pointer in it first, about 0.15 s for this archive on a small
   * machine, which a restarted gateway or a new virtual node waits for. Where that address is
   * taken the JVM still relocates. The flag is diagnostic; the JDKs that have it are known.
   */
  private List<String> mapping() {
    String file = "-XX:SharedArchiveFile=" + archive();
    int jdk = Runtime.version().feature();
    return jdk >= 14 && jdk <= 25
        ? List.of(file, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0") : List.of(file);
  }

  /**
   * JVM options for the next launch: map the archive when there is one; otherwise, once per
   * archive object, record the launch's classes and write the archive from them later.
   */
  public List<String> jvmOptions() {
    if (disabledBecause != null) return List.of();
    if (Files.isReadable(archive())) return mapping();
    if (!recording.compareAndSet(false, true)) return List.of();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      LOG.warn("event=class-data-archive-disabled dir={} reason=\"cannot create the directory: {}\"", dir, e.getMessage());
      return List.of();
    }
    if (!claimRecording()) return List.of();
    Path classList = dir.resolve(PREFIX + key + "." + ProcessHandle.current().pid() + ".classlist.part");
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(recordFor.toMillis());
        write(classList);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "class-data-archive");
    writer.setDaemon(true);
    writer.start();
    LOG.info("event=class-data-recording classList={} writeAfter={}s", classList, recordFor.toSeconds());
    return List.of("-XX:DumpLoadedClassList=" + classList);
  }

  /**
   * Agents on one host share the directory: the first to create the lock records, the others
   * start their children without an archive meanwhile. A lock older than a recording and a dump
   * can take was left by a killed agent and is taken over.
   */
  private boolean claimRecording() {
    Path lock = lock();
    try {
      Files.createFile(lock);
      return true;
    } catch (FileAlreadyExistsException e) {
      try {
        Instant since = Files.getLastModifiedTime(lock).toInstant();
        if (since.plus(recordFor).plus(DUMP_TIMEOUT).isAfter(Instant.now())) return false;
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now()));
        return true;
      } catch (IOException gone) {
        return false;
      }
    } catch (IOException e) {
      LOG.warn("event=class-data-archive-disabled dir={} reason=\"cannot create {}: {}\"", dir, lock, e.getMessage());
      return false;
    }
  }

  private Path lock() {
    return dir.resolve(PREFIX + key + ".lock");
  }

  /**
   * Writes the archive from a recorded class list (blocking; {@code java -Xshare:dump}), then
   * removes the list and archives of other keys. Returns whether the archive is now there.
   */
  public boolean write(Path classList) {
    Path tmpList = dir.resolve(classList.getFileName() + ".complete");
    Path tmpArchive = dir.resolve(PREFIX + key + "." + ProcessHandle.current().pid() + ".jsa.part");
    Path dumpLog = dir.resolve(PREFIX + key + "." + ProcessHandle.current().pid() + ".dump.log.part");
    long t0 = System.nanoTime();
    try {
      if (!Files.exists(classList)) {
        LOG.warn("event=class-data-archive-skipped reason=\"no class list was recorded at {}\"", classList);
        return false;
      }
      // The child may still be appending: only whole lines go to the dump.
      String text = Files.readString(classList, StandardCharsets.UTF_8);
      Files.writeString(tmpList, text.substring(0, text.lastIndexOf('\n') + 1), StandardCharsets.UTF_8);
      List<String> cmd = List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + tmpList,
          "-XX:SharedArchiveFile=" + tmpArchive, "-XX:+UseSerialGC", "-cp", classPath);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dumpLog.toFile()).start();
      // The dump is the agent's child: it goes when the agent stops.
      Thread stopDump = new Thread(p::destroyForcibly, "class-data-archive-stop");
      Runtime.getRuntime().addShutdownHook(stopDump);
      boolean ended = p.waitFor(DUMP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!ended) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      try {
        Runtime.getRuntime().removeShutdownHook(stopDump);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      if (!ended || p.exitValue() != 0 || !Files.exists(tmpArchive)) {
        LOG.warn("event=class-data-archive-failed exitCode={} output=\"{}\" next=\"virtual kubelets start without it; "
            + "set PONTOON_VK_JAVA_OPTS with -Xshare:off to stop trying\"", ended ? p.exitValue() : "timeout",
            lastLine(Files.readString(dumpLog, StandardCharsets.UTF_8)));
        return false;
      }
      Files.move(tmpArchive, archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("event=class-data-archive-written archive={} sizeMiB={} ms={}", archive(), Files.size(archive()) >> 20,
          (System.nanoTime() - t0) / 1_000_000);
      removeOthers();
      return true;
    } catch (IOException e) {
      LOG.warn("event=class-data-archive-failed error=\"{}\"", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      deleteQuietly(tmpList);
      deleteQuietly(tmpArchive);
      deleteQuietly(dumpLog);
      deleteQuietly(classList);
      deleteQuietly(lock());
    }
  }

  /** Archives of other keys (an old jar, another JDK) and parts left by killed agents. */
  private void removeOthers() {
    Instant stale = Instant.now().minus(Duration.ofHours(1));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!name.startsWith(PREFIX) || f.equals(archive())) continue;
        boolean otherArchive = name.endsWith(".jsa") && !name.startsWith(PREFIX + key);
        boolean leftoverPart = (name.endsWith(".part") || name.endsWith(".complete")) && Files.getLastModifiedTime(f).toInstant().isBefore(stale);
        if (otherArchive || leftoverPart) deleteQuietly(f);
      }
    } catch (IOException e) {
      LOG.debug("event=class-data-cleanup-failed error=\"{}\"", e.toString());
    }
  }

  private static Optional<String> unsuitable(Path p) {
    if (Files.isDirectory(p)) return Optional.of("the classpath has a directory (" + p + ")");
    if (!p.toString().endsWith(".jar")) return Optional.of("the classpath has a non-jar entry (" + p + ")");
    try (JarFile jar = new JarFile(p.toFile())) {
      var manifest = jar.getManifest();
      if (manifest != null && manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) != null) {
        return Optional.of(p + " names more jars in its manifest's Class-Path");
      }
    } catch (IOException e) {
      return Optional.of("cannot read " + p + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].replace('"', '\''); // the JVM's own reason comes last
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debug("event=class-data-cleanup-failed path={} error=\"{}\"", p, e.toString());
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
