package dev.ferry.core.port;

import java.time.Duration;

/** Waits for the {@code sleep} step; tests inject one that only records. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps the calling thread. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration);
}
