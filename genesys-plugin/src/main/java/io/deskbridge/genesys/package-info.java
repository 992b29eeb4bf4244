/**
 * The Genesys Cloud desk: its registration ({@link io.deskbridge.genesys.GenesysServiceDeskProvider}, {@code desk=genesys}),
 * its settings and its wiring. The transports live in the packages below it.
 */
package io.deskbridge.genesys;
