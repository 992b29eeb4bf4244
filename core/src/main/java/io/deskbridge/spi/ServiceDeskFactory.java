package io.deskbridge.spi;

import java.util.Set;

/**
 * Creates one {@link ServiceDesk} per chat. A desk's wiring binds one factory; the application (through
 * {@code ChatSession}) asks it for a fresh desk for every chat (rule 1). Creating a desk does no I/O.
 */
public interface ServiceDeskFactory {

    /** A new desk for the chat in {@code context}. */
    ServiceDesk create(DeskContext context);

    /** What every desk this factory creates supports. */
    Set<Capability> capabilities();
}
