package io.pontoon.sandbox.cluster.dataplane;

import java.util.List;

/** What {@link Dataplane#cleanup} removed. */
public record CleanupReport(List<String> namespaces, List<String> interfaces, List<Long> processes) {
  public CleanupReport {
    namespaces = List.copyOf(namespaces);
    interfaces = List.copyOf(interfaces);
    processes = List.copyOf(processes);
  }

  public boolean nothingFound() {
    return namespaces.isEmpty() && interfaces.isEmpty() && processes.isEmpty();
  }
}
