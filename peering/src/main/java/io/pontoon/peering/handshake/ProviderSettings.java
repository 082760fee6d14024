package io.pontoon.peering.handshake;

import io.pontoon.api.ClusterIdentity;

/**
 * What a provider tells consumers about itself in a handshake.
 *
 * @param apiServerUrl its API server as consumers reach it
 * @param apiServerCaPem the CA that signed the API server's serving certificate
 * @param gatewayEndpoint HOST:PORT of its gateway for this peering, or null before the gateway exists
 */
public record ProviderSettings(
    ClusterIdentity identity, Messages.Network network, String apiServerUrl, String apiServerCaPem,
    String gatewayEndpoint, int sharingPercentage) {}
