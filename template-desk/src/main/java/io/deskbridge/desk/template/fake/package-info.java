/**
 * An in-process fake of the template vendor: it implements {@link io.deskbridge.desk.template.vendor.TemplateVendorClient}
 * in memory and lets tests (and people trying the desk) play the agent through {@link
 * io.deskbridge.desk.template.fake.FakeConversation}. It behaves like a typical vendor where it matters to a desk:
 * events arrive asynchronously on "I/O" threads, the customer's own messages and typing are echoed back, typing has no
 * "stopped" event, and a dropped stream loses the events of the gap until the client reconnects.
 */
package io.deskbridge.desk.template.fake;
