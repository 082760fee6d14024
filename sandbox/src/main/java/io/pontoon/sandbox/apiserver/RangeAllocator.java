package io.pontoon.sandbox.apiserver;

import java.util.BitSet;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * A bitmap of the offsets {@code 0..size-1} of a range (service IPs, node ports), as
 * kube-apiserver's bitmap allocator. Dynamic allocation picks a random free offset from the upper
 * band first and falls back to the lower band, so the lower band stays free for addresses users
 * ask for (ServiceIPStaticSubrange, ServiceNodePortStaticSubrange). Not thread-safe.
 */
final class RangeAllocator {
  private final int size;
  private final int lowerBand;
  private final BitSet used;
  private final RandomGenerator random;

  RangeAllocator(int size, int lowerBand, RandomGenerator random) {
    if (size <= 0) throw new IllegalArgumentException("range size must be positive, got " + size);
    this.size = size;
    this.lowerBand = Math.max(0, Math.min(lowerBand, size));
    this.used = new BitSet(size);
    this.random = random;
  }

  /** kube's lower band for service IPs: min(max(16, size/16), 256). */
  static int ipLowerBand(int size) {
    return Math.min(Math.max(16, size / 16), 256);
  }

  /** kube's lower band for node ports: min(max(16, size/32), 128). */
  static int portLowerBand(int size) {
    return Math.min(Math.max(16, size / 32), 128);
  }

  int size() {
    return size;
  }

  boolean inRange(int offset) {
    return offset >= 0 && offset < size;
  }

  boolean isUsed(int offset) {
    return inRange(offset) && used.get(offset);
  }

  /** Marks an offset used; false when it already was (or is outside the range). */
  boolean allocate(int offset) {
    if (!inRange(offset) || used.get(offset)) return false;
    used.set(offset);
    return true;
  }

  /** Marks an offset used whether or not it was; for rebuilding from stored objects. */
  void mark(int offset) {
    if (inRange(offset)) used.set(offset);
  }

  void release(int offset) {
    if (inRange(offset)) used.clear(offset);
  }

  /** A free offset without taking it: upper band first, then lower band. */
  OptionalInt peekNext() {
    OptionalInt upper = randomFree(lowerBand, size);
    return upper.isPresent() ? upper : randomFree(0, lowerBand);
  }

  /** Takes a free offset, or empty when the range is full. */
  OptionalInt allocateNext() {
    OptionalInt next = peekNext();
    next.ifPresent(used::set);
    return next;
  }

  int free() {
    return size - used.cardinality();
  }

  /** A random free offset in [from, to): scan from a random start, wrapping once. */
  private OptionalInt randomFree(int from, int to) {
    int width = to - from;
    if (width <= 0) return OptionalInt.empty();
    int start = from + random.nextInt(width);
    int found = used.nextClearBit(start);
    if (found < to) return OptionalInt.of(found);
    found = used.nextClearBit(from);
    return found < start ? OptionalInt.of(found) : OptionalInt.empty();
  }
}
