/**
 * The service desk contract: what an application calls ({@link io.deskbridge.spi.ServiceDesk}), what a desk calls
 * back ({@link io.deskbridge.spi.ServiceDeskCallback}), and the immutable value types both exchange.
 *
 * <p>This package depends on nothing but the JDK (a build test enforces it), so a desk implementation and an
 * application can both speak it without taking on a framework. The numbered rules of the contract are written on
 * {@link io.deskbridge.spi.ServiceDesk}; the conformance kit tests each one by its number.
 */
package io.deskbridge.spi;
