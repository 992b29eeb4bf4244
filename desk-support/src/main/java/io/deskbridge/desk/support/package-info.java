/**
 * What every service desk needs and none should write again, so that a desk is the mapping of one vendor's API onto
 * the contract and nothing more.
 *
 * <ul>
 *   <li>{@link io.deskbridge.desk.support.ChatLane}: the chat's serial lane over the shared pool, with timers and
 *       stage completions that land on it (rule 12).</li>
 *   <li>{@link io.deskbridge.desk.support.CallbackGate}: the application's callback, called only on the lane, never
 *       re-entrantly, and never after the end (rules 6, 7, 12).</li>
 *   <li>{@link io.deskbridge.core.DeliveredIds} (in {@code core}, because {@code ContractMonitor} checks rule 8 with
 *       the same window) and {@link io.deskbridge.desk.support.CatchUpBuffer}: history read after a reconnect merged
 *       with the live events that arrive meanwhile, each message exactly once and in order (rules 8, 10).</li>
 *   <li>{@link io.deskbridge.desk.support.AgentTypingIndicator}: the agent typing indicator with its expiry (rule 9).</li>
 *   <li>{@link io.deskbridge.desk.support.IdempotentSends}: one vendor call per user message id (rule 11).</li>
 *   <li>{@link io.deskbridge.desk.support.Backoff}: reconnect and retry delays, bounded, with jitter, honouring a
 *       vendor's {@code Retry-After}.</li>
 *   <li>{@link io.deskbridge.desk.support.TextFrameListener}: a JDK WebSocket listener that hands on whole text
 *       frames, and {@link io.deskbridge.desk.support.SilenceWatch}: a quiet connection pinged, and dropped only if
 *       nothing answers.</li>
 *   <li>{@link io.deskbridge.desk.support.VendorChat} with the desk's {@link io.deskbridge.desk.support.ChatVendor}:
 *       the life of a chat around a vendor conversation (start, resume, the stream lost and back, end, detach, sends,
 *       failures, persisted state), and {@link io.deskbridge.desk.support.AgentEvents}: what the agent did, as the
 *       callbacks the rules ask for.</li>
 *   <li>{@link io.deskbridge.desk.support.VendorCallException}, {@link io.deskbridge.desk.support.FileRules},
 *       {@link io.deskbridge.desk.support.DeskFactory}: a vendor's HTTP failures by kind, the files it accepts, one desk
 *       per chat on its own lane.</li>
 * </ul>
 */
package io.deskbridge.desk.support;
