/**
 * The {@code template} desk: the vendor mapping only, on desk-support. {@link
 * io.deskbridge.desk.template.TemplateServiceDeskProvider} registers it, {@link io.deskbridge.desk.template.TemplateModule}
 * wires it (and binds the vendor's real client, to be written), {@link io.deskbridge.desk.template.TemplateSettings}
 * reads its settings, {@link io.deskbridge.desk.template.TemplateServiceDesk} maps the application's calls onto the
 * vendor's client ({@link io.deskbridge.desk.template.vendor}) and {@link io.deskbridge.desk.template.TemplateConversation}
 * maps the vendor's events back. "Step N" comments point at the integrator's guide ({@code docs/adding-a-desk.md});
 * "Rule N" at the numbered rules of {@link io.deskbridge.spi.ServiceDesk}.
 */
package io.deskbridge.desk.template;
