package io.pontoon.peering.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  @Test
  void blocksASourceAfterTooManyFailuresUntilTheWindowPasses() {
    FailureRateLimiter l = new FailureRateLimiter(3, Duration.ofSeconds(60), 100, clock);
    for (int i = 0; i < 3; i++) {
      assertThat(l.retryAfter("a")).isZero();
      l.recordFailure("a");
      now.addAndGet(1000);
    }
    assertThat(l.retryAfter("a")).isEqualTo(Duration.ofSeconds(57));
    assertThat(l.retryAfter("b")).isZero();
    now.addAndGet(57_000);
    assertThat(l.retryAfter("a")).isZero();
  }

  @Test
  void forgetsTheOldestSourcesBeyondItsBound() {
    FailureRateLimiter l = new FailureRateLimiter(1, Duration.ofMinutes(1), 50, clock);
    for (int i = 0; i < 10_000; i++) l.recordFailure("10.0." + (i / 256) + "." + (i % 256));
    assertThat(l.trackedSources()).isEqualTo(50);
    assertThat(l.retryAfter("10.0.39.15")).isPositive();
  }
}
