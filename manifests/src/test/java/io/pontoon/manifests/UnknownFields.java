package io.pontoon.manifests;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields the Kubernetes schema does not know (a typo such as {@code targetPorts}): fabric8's
 * typed model keeps them in {@code additionalProperties}, so any non-empty one is a field
 * kube-apiserver's strict validation would reject. The sandbox API server validates names,
 * labels, pods and workloads but not unknown fields of built-in kinds, hence this check.
 */
final class UnknownFields {
  private UnknownFields() {}

  static List<String> of(Object model) {
    List<String> out = new ArrayList<>();
    walk(model, "", out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) return;
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) walk(x, path + "[" + i++ + "]", out, seen);
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    if (!o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) return;
    for (Method g : o.getClass().getMethods()) {
      if (g.getParameterCount() != 0 || g.getDeclaringClass() == Object.class) continue;
      String n = g.getName();
      if (!n.startsWith("get") || n.equals("getClass")) continue;
      Object v;
      try {
        v = g.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (n.equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) out.add((path.isEmpty() ? "" : path + ".") + extra.keySet());
        continue;
      }
      String field = Character.toLowerCase(n.charAt(3)) + n.substring(4);
      walk(v, path.isEmpty() ? field : path + "." + field, out, seen);
    }
  }
}
