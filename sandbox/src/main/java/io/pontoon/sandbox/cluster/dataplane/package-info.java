/**
 * The sandbox's real pod network (dataplane mode, root only): network namespaces for clusters,
 * nodes and pods, joined by veth pairs and bridges, built with {@code ip} (iproute2); container
 * commands run as host processes inside the pods' namespaces.
 *
 * <h2>Topology of one cluster (index ci, defaults shown)</h2>
 *
 * <pre>
 *  pontoon-&lt;sid&gt;-wan  (the WAN, one per sandbox, 100.127.0.0/24)
 *    bridge pw&lt;sid&gt;wan ── pf&lt;sid&gt;c&lt;ci&gt; (one per cluster)
 *              │
 *  pontoon-&lt;sid&gt;-gw-&lt;cluster&gt;  (gateway)
 *    pe&lt;sid&gt;c&lt;ci&gt; 100.127.0.ci/24, pg&lt;sid&gt;c&lt;ci&gt; 100.64.ci.254/24
 *    routes: every node's podCIDR via its underlay address; ip_forward=1, rp_filter=0
 *              │
 *  pontoon-&lt;sid&gt;-c&lt;ci&gt;  (underlay, 100.64.ci.0/24)
 *    bridge pc&lt;sid&gt;c&lt;ci&gt;  ── pv&lt;sid&gt;n1 ── … ── pv&lt;sid&gt;nN ── ph&lt;sid&gt;c&lt;ci&gt;
 *              │                              │
 *  pontoon-&lt;sid&gt;-c&lt;ci&gt;-n1 (node 1)        pontoon-&lt;sid&gt;-c&lt;ci&gt;-nN (node N)
 *    pu&lt;sid&gt;n1 100.64.ci.1/24                pu&lt;sid&gt;nN 100.64.ci.N/24
 *    bridge pb&lt;sid&gt;n1 10.244.1.1/24          bridge pb&lt;sid&gt;nN …
 *    routes: other nodes' podCIDRs via their underlay address; default via the gateway 100.64.ci.254
 *    ip_forward=1
 *              │ pp&lt;sid&gt;&lt;h7&gt;
 *  pontoon-&lt;sid&gt;-p-&lt;h10&gt; (pod)
 *    eth0 10.244.1.5/24, default via 10.244.1.1; lo up
 *    processes: setsid ip netns exec &lt;pod netns&gt; command args…
 * </pre>
 *
 * <p>Nothing is created in the host namespace: every interface is made directly inside its
 * namespace, so clusters with the same pod CIDR (and pods with the same IP) never meet. Names are
 * described in {@link io.pontoon.sandbox.cluster.dataplane.Names}; the sandbox id in
 * {@link io.pontoon.sandbox.cluster.dataplane.SandboxId}.
 *
 * <h2>Use</h2>
 *
 * <pre>
 * Dataplane dp = new Dataplane(SandboxId.forDirectory(sandboxDir), DataplaneConfig.defaults());
 * ClusterNetwork net = dp.createCluster("cluster-1", 1, "10.244.0.0/16");
 * NodeNetwork node = net.addNode(1, "cluster-1-node-1", "10.244.1.0/24");
 * ContainerRuntime runtime = net.runtime(node);      // one per simulated node
 * …
 * runtime.close(); net.close();                      // or, after a crash: Dataplane.cleanup(id)
 * </pre>
 */
package io.pontoon.sandbox.cluster.dataplane;
