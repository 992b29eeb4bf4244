/**
 * The example desk: a simulated contact center ({@link io.deskbridge.desk.example.ExampleContactCenter}) with
 * simulated agents ({@link io.deskbridge.desk.example.SimulatedAgent}) inside the JVM, and the desk that speaks to
 * it ({@code ExampleServiceDesk}) the way a desk speaks to a real vendor. It is deskbridge's default desk, the
 * reference desk of the conformance kit, and a worked example for integrators.
 */
package io.deskbridge.desk.example;
