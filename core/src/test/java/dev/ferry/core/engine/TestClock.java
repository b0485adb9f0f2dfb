package dev.ferry.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand; each {@link #instant()} call can also advance it by a fixed tick. */
public final class TestClock extends Clock {
    private Instant now;
    private final Duration tick;

    public TestClock(Instant start) {
        this(start, Duration.ZERO);
    }

    public TestClock(Instant start, Duration tick) {
        this.now = start;
        this.tick = tick;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        Instant current = now;
        now = now.plus(tick);
        return current;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
