package io.pontoon.sandbox.cluster.dataplane;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The integration tests skip where the dataplane cannot run, except on CI where that is a failure. */
class DataplaneFixtureTest {
  private final List<String> missing = List.of("root (…)", "the `ip` command (install the Debian package iproute2)");

  @Test
  void skipsNamingWhatIsMissingOutsideCi() {
    assertThatThrownBy(() -> DataplaneFixture.skipOrFail(missing, null))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("root").hasMessageContaining("iproute2");
  }

  @Test
  void failsOnCi() {
    assertThatThrownBy(() -> DataplaneFixture.skipOrFail(missing, "true"))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("iproute2");
  }

  @Test
  void runsWhenNothingIsMissing() {
    assertThatCode(() -> DataplaneFixture.skipOrFail(List.of(), "true")).doesNotThrowAnyException();
  }
}
