/**
 * The Genesys Cloud platform API shared by the chat transports: region hosts, a retrying JSON client, OAuth client
 * credentials, routing queues, queue observations, estimated wait times and signed data for authenticated chats.
 */
package io.deskbridge.genesys.platform;
