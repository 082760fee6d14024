/** DNS-SD over unicast DNS and mDNS: announcements of peering services, publishing and browsing. */
package io.pontoon.discovery;
