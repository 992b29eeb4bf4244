/**
 * Genesys Cloud platform API payloads as Jackson records: OAuth tokens, error bodies, routing queues, queue
 * observations, estimated wait times and signed data. Unknown fields are ignored; absent fields are empty.
 */
package io.deskbridge.genesys.platform.wire;
