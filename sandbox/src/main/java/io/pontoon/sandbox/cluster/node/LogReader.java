package io.pontoon.sandbox.cluster.node;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads one container log file for {@code /containerLogs}: the whole file filtered by time,
 * then its last {@code tailLines}, as text or with timestamps, cut at {@code limitBytes}; then,
 * when following, whatever complete lines were appended since. Blocking: call on a worker.
 */
final class LogReader {
  private final Path file;
  private final LogOptions opts;
  private long offset;
  private long written;

  LogReader(Path file, LogOptions opts) {
    this.file = file;
    this.opts = opts;
  }

  boolean limitReached() {
    return opts.limitBytes().isPresent() && written >= opts.limitBytes().getAsLong();
  }

  Buffer readInitial() throws IOException {
    Deque<String> lines = new ArrayDeque<>();
    long max = opts.tailLines().orElse(Long.MAX_VALUE);
    StringBuilder partial = new StringBuilder();
    for (String line : completeLines(read())) {
      String rendered = render(line);
      if (rendered == null) continue;
      partial.append(rendered);
      if (!rendered.endsWith("\n")) continue; // a partial entry: tailLines counts whole lines
      lines.addLast(partial.toString());
      partial.setLength(0);
      if (lines.size() > max) lines.removeFirst();
    }
    if (partial.length() > 0) lines.addLast(partial.toString());
    StringBuilder sb = new StringBuilder();
    lines.forEach(sb::append);
    return limit(sb.toString());
  }

  Buffer readMore() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : completeLines(read())) {
      String rendered = render(line);
      if (rendered != null) sb.append(rendered);
    }
    return limit(sb.toString());
  }

  private byte[] read() throws IOException {
    if (!Files.exists(file)) return new byte[0];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long len = raf.length();
      if (len <= offset) return new byte[0];
      byte[] b = new byte[(int) Math.min(len - offset, 16 * 1024 * 1024)];
      raf.seek(offset);
      raf.readFully(b);
      return b;
    }
  }

  /** Lines ended by a newline; a trailing partial line is left for the next read. */
  private String[] completeLines(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') end--;
    if (end == 0) return new String[0];
    offset += end;
    return new String(bytes, 0, end - 1, StandardCharsets.UTF_8).split("\n", -1);
  }

  private String render(String line) {
    CriLog.Entry e = CriLog.parse(line);
    if (opts.since().isPresent() && e.time().isPresent() && e.time().get().isBefore(opts.since().get())) return null;
    String text = e.partial() ? e.text() : e.text() + "\n";
    if (!opts.timestamps()) return text;
    return e.time().map(CriLog::timestamp).orElse("") + " " + text;
  }

  private Buffer limit(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (opts.limitBytes().isPresent()) {
      long room = Math.max(0, opts.limitBytes().getAsLong() - written);
      if (b.length > room) {
        byte[] cut = new byte[(int) room];
        System.arraycopy(b, 0, cut, 0, cut.length);
        b = cut;
      }
    }
    written += b.length;
    return Buffer.buffer(b);
  }
}
