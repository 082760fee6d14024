package io.pontoon.peering.foreigncluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/** Compiles a one-class program into a jar, for tests that start real JVMs on a classpath of jars. */
final class TinyJar {
  private TinyJar() {}

  /** {@code Hello.main} loads a few JDK classes (a lambda, a stream) and prints {@code hello}. */
  static Path hello(Path dir, String manifestClassPath) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path java = Files.writeString(src.resolve("Hello.java"), "public class Hello { public static void main(String[] a) {"
        + " System.out.println(java.util.stream.Stream.of(\"hel\", \"lo\").map(s -> s.trim()).reduce(\"\", String::concat)); } }");
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(), java.toString());
    if (rc != 0) throw new IllegalStateException("javac failed: " + rc);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (manifestClassPath != null) manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, manifestClassPath);
    Path jar = dir.resolve(manifestClassPath == null ? "hello.jar" : "booter.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("Hello.class"));
      Files.copy(src.resolve("Hello.class"), out); // leaves the jar stream open
      out.closeEntry();
    }
    return jar;
  }

  static List<String> java() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
