package io.pontoon.sandbox.cluster.dataplane;

/**
 * One simulated node's network: its namespace, the bridge its pods hang off (holding the first
 * address of the node's pod CIDR, the pods' gateway) and its address on the cluster underlay.
 */
public record NodeNetwork(
    String clusterName,
    int clusterIndex,
    int nodeIndex,
    String nodeName,
    String netns,
    String bridge,
    Cidr podCidr,
    String bridgeAddress,
    String uplink,
    String underlayAddress) {}
