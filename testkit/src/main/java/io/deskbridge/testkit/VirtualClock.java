package io.deskbridge.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Supplier;

/** A {@link VirtualScheduler}'s time as a {@link Clock}. */
final class VirtualClock extends Clock {
    private final Supplier<Instant> now;
    private final ZoneId zone;

    VirtualClock(Supplier<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new VirtualClock(now, zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now.get() + "]";
    }
}
