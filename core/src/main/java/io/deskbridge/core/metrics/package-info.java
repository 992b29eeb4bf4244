/**
 * What deskbridge measures for operators, through Micrometer: every chat's state, starts, ends and messages (from
 * {@link io.deskbridge.core.ChatSession}, for every desk with no code in the desk) and each desk's vendor requests,
 * reconnects, catch-ups and rate-limit waits (through the {@link io.deskbridge.spi.DeskMetrics} facade). Every meter
 * is tagged with the desk and its transport, never with a chat or a user.
 */
package io.deskbridge.core.metrics;
