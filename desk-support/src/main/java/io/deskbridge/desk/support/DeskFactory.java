package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * A {@link ServiceDeskFactory} that gives each chat its own {@link ChatLane} over the shared threads and makes the
 * chat's desk with it: what a desk's Guice module provides, without a factory class of its own. Does no I/O.
 *
 * @param capabilities the desk's capabilities, the one set its provider and its desks declare too
 * @param workers the shared pool the lanes run on
 * @param scheduler the shared scheduler for the lanes' timers
 * @param desks makes the desk of one chat, on that chat's lane
 */
public record DeskFactory(Set<Capability> capabilities, Executor workers, ScheduledExecutorService scheduler,
        BiFunction<DeskContext, ChatLane, ? extends ServiceDesk> desks) implements ServiceDeskFactory {

    public DeskFactory {
        capabilities = Set.copyOf(requireNonNull(capabilities, "capabilities is null"));
        requireNonNull(workers, "workers is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(desks, "desks is null");
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        requireNonNull(context, "context is null");
        return requireNonNull(desks.apply(context, new ChatLane(context.chatId(), workers, scheduler)), "the desk made is null");
    }
}
