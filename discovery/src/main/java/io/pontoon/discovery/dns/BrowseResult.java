package io.pontoon.discovery.dns;

import io.pontoon.discovery.Discovered;
import java.util.List;
import java.util.Optional;

/**
 * What browsing one domain found: valid instances, one warning per record that was skipped, and
 * a failure when the domain could not be read at all (no resolver answered, deadline passed
 * before the PTR answer). An empty result with no failure means nothing is announced there.
 */
public record BrowseResult(String domain, List<Discovered> instances, List<String> warnings, Optional<String> failure) {
  public BrowseResult {
    instances = List.copyOf(instances);
    warnings = List.copyOf(warnings);
  }

  public boolean failed() {
    return failure.isPresent();
  }
}
