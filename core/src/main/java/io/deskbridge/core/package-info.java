/**
 * The deskbridge runtime: desk discovery ({@link io.deskbridge.core.ServiceDeskProvider},
 * {@link io.deskbridge.core.ServiceDeskProviders}), configuration ({@link io.deskbridge.core.Configuration},
 * {@link io.deskbridge.core.Settings}), Guice wiring ({@link io.deskbridge.core.Deskbridge}) and
 * {@link io.deskbridge.core.ChatSession}, which guarantees the contract of {@link io.deskbridge.spi.ServiceDesk} to
 * applications at run time.
 */
package io.deskbridge.core;
