/**
 * A small, correct in-memory desk with its fake contact center and agent driver: the reference the conformance kit
 * is tested against, and, with a {@link io.deskbridge.testkit.reference.Defect}, the deliberately broken desks the
 * kit must fail.
 */
package io.deskbridge.testkit.reference;
