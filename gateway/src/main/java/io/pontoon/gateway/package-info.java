/** The gateway of a peering: IPAM, WireGuard, nftables double NAT, the tunnel controller. */
package io.pontoon.gateway;
