package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to write so a service's slices hold exactly the desired endpoints, changing as few slices
 * as possible (the spirit of kube's reconcileByAddressType): existing slices of a port set keep
 * the endpoints still wanted, refreshed in place; new endpoints fill free room first, then new
 * slices; emptied slices and those of vanished port sets go. With no endpoints at all one empty
 * placeholder slice (no ports) remains.
 *
 * @param existing the current slices, which {@link #toUpdate} entries are (changed in place)
 */
record SlicePlan(List<EndpointSlice> existing, List<EndpointSlice> toUpdate, List<NewSlice> toCreate,
    List<EndpointSlice> toDelete) {

  record NewSlice(List<EndpointPort> ports, List<Endpoint> endpoints) {}

  static String identity(Endpoint e) {
    if (e.getTargetRef() != null && e.getTargetRef().getUid() != null) return e.getTargetRef().getUid();
    return String.join(",", e.getAddresses());
  }

  static SlicePlan plan(Map<List<EndpointPort>, List<Endpoint>> desired, List<EndpointSlice> existing, int max) {
    List<EndpointSlice> update = new ArrayList<>();
    List<NewSlice> create = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    Map<List<EndpointPort>, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
    for (EndpointSlice s : existing) {
      existingByPorts.computeIfAbsent(s.getPorts() == null ? List.of() : s.getPorts(), k -> new ArrayList<>()).add(s);
    }
    if (desired.values().stream().allMatch(List::isEmpty)) {
      // a placeholder: keep one slice, emptied of ports and endpoints
      EndpointSlice keep = existing.stream().filter(s -> (s.getPorts() == null || s.getPorts().isEmpty())).findFirst()
          .orElse(existing.isEmpty() ? null : existing.get(0));
      for (EndpointSlice s : existing) if (s != keep) delete.add(s);
      if (keep == null) {
        create.add(new NewSlice(List.of(), List.of()));
      } else if (!isEmpty(keep.getEndpoints()) || !isEmpty(keep.getPorts())) {
        keep.setEndpoints(new ArrayList<>());
        keep.setPorts(new ArrayList<>());
        update.add(keep);
      }
      return new SlicePlan(existing, update, create, delete);
    }
    for (var e : existingByPorts.entrySet()) {
      if (!desired.containsKey(e.getKey()) || desired.get(e.getKey()).isEmpty()) delete.addAll(e.getValue());
    }
    for (var e : desired.entrySet()) {
      if (e.getValue().isEmpty()) continue;
      Map<String, Endpoint> wanted = new LinkedHashMap<>();
      e.getValue().forEach(ep -> wanted.put(identity(ep), ep));
      List<EndpointSlice> mine = existingByPorts.getOrDefault(e.getKey(), List.of());
      List<EndpointSlice> withRoom = new ArrayList<>();
      for (EndpointSlice s : mine) {
        List<Endpoint> kept = new ArrayList<>();
        for (Endpoint ep : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
          Endpoint want = wanted.remove(identity(ep));
          if (want != null && kept.size() < max) kept.add(want);
        }
        if (kept.isEmpty()) {
          delete.add(s);
          continue;
        }
        if (!Objects.equals(kept, s.getEndpoints())) {
          s.setEndpoints(kept);
          update.add(s);
        }
        if (kept.size() < max) withRoom.add(s);
      }
      List<Endpoint> rest = new ArrayList<>(wanted.values());
      for (EndpointSlice s : withRoom) {
        if (rest.isEmpty()) break;
        int room = max - s.getEndpoints().size();
        List<Endpoint> moved = new ArrayList<>(rest.subList(0, Math.min(room, rest.size())));
        rest.subList(0, moved.size()).clear();
        List<Endpoint> next = new ArrayList<>(s.getEndpoints());
        next.addAll(moved);
        s.setEndpoints(next);
        if (!update.contains(s)) update.add(s);
      }
      for (int i = 0; i < rest.size(); i += max) {
        create.add(new NewSlice(e.getKey(), List.copyOf(rest.subList(i, Math.min(i + max, rest.size())))));
      }
    }
    return new SlicePlan(existing, update, create, delete);
  }

  private static boolean isEmpty(List<?> l) {
    return l == null || l.isEmpty();
  }
}
