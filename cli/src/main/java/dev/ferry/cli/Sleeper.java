package dev.ferry.cli;

import java.time.Duration;

/** Waits between polls. Tests pass one that only advances a fake clock, so nothing really sleeps. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = Thread::sleep;
}
