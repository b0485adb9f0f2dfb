package dev.ferry.core.port;

/** Ids and secrets, injectable so tests can fix them. */
public interface IdGenerator {
    /** A new id, time-ordered, e.g. {@code exe_01JD…}. */
    String newId(String prefix);

    /** An unguessable token of at least 128 random bits, URL-safe. */
    String newToken();
}
