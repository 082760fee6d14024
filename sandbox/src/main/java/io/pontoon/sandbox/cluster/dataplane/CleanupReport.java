package io.pontoon.sandbox.cluster.dataplane;

import java.util.List;

/**
 * What {@link Dataplane#cleanup} removed.
 *
 * @param files host files: WireGuard sockets of interfaces that lived in the sandbox's namespaces,
 *     the WAN lock file
 */
public record CleanupReport(List<String> namespaces, List<String> interfaces, List<Long> processes,
    List<String> files) {
  public CleanupReport {
    namespaces = List.copyOf(namespaces);
    interfaces = List.copyOf(interfaces);
    processes = List.copyOf(processes);
    files = List.copyOf(files);
  }

  public CleanupReport(List<String> namespaces, List<String> interfaces, List<Long> processes) {
    this(namespaces, interfaces, processes, List.of());
  }

  public boolean nothingFound() {
    return namespaces.isEmpty() && interfaces.isEmpty() && processes.isEmpty() && files.isEmpty();
  }
}
