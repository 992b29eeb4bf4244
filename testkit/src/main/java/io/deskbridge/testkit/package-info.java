/**
 * The conformance kit every service desk's tests extend ({@link io.deskbridge.testkit.ServiceDeskConformanceKit}),
 * with its tools: the agent driver a desk provides to play the vendor's side, a recording callback with AssertJ
 * assertions, and a scheduler on virtual time. {@code testkit/README.md} is the manual.
 */
package io.deskbridge.testkit;
