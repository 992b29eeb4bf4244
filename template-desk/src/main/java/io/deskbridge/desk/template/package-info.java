/**
 * The {@code template} desk, working against an in-process fake of the vendor until the vendor's real client is
 * bound in {@link io.deskbridge.desk.template.TemplateModule}. {@link
 * io.deskbridge.desk.template.TemplateServiceDeskProvider} registers it, {@link
 * io.deskbridge.desk.template.TemplateModule} wires it, {@link io.deskbridge.desk.template.TemplateSettings} reads
 * its {@code template.*} settings and {@link io.deskbridge.desk.template.TemplateServiceDesk} maps the contract onto
 * the vendor's client ({@link io.deskbridge.desk.template.vendor}). Comments starting "Step N" point at the matching
 * step of the integrator's guide ({@code docs/adding-a-desk.md}); "Rule N" at the numbered rules of
 * {@link io.deskbridge.spi.ServiceDesk}.
 */
package io.deskbridge.desk.template;
