package dev.ferry.core.model;

import java.util.Objects;

/**
 * What a sealed value belongs to: an instance (its secret config values) or a monitor (its alert
 * channels' URLs, header values and signing secrets). A data key is bound to its owner — in AWS the
 * KMS encryption context names the kind and the id, so a function's role can be allowed to open one
 * kind and not the other — and each value to its owner and name, so a value copied elsewhere does
 * not open.
 */
public record SecretOwner(Kind kind, String id) {
    public enum Kind {
        /** Secret config values, named by their variable. */
        INSTANCE,
        /** Alert channels' credentials, named by their place in the monitor: {@code channels[0].url}. */
        MONITOR
    }

    public SecretOwner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static SecretOwner instance(String instanceId) {
        return new SecretOwner(Kind.INSTANCE, instanceId);
    }

    public static SecretOwner monitor(String monitorId) {
        return new SecretOwner(Kind.MONITOR, monitorId);
    }

    /** "instance" or "monitor". */
    public String noun() {
        return kind == Kind.INSTANCE ? "instance" : "monitor";
    }

    /**
     * How an error names one value, never its content: {@code secret config variable 'apiKey' of
     * instance ins_…}, {@code channel value 'channels[0].url' of monitor mon_…}.
     */
    public String describe(String name) {
        return (kind == Kind.INSTANCE ? "secret config variable '" : "channel value '") + name + "' of " + noun() + " " + id;
    }

    /** What seals a value anew, for errors about one that cannot be opened. */
    public String remedy() {
        return kind == Kind.INSTANCE ? "set it again (PATCH the instance) to seal it anew"
                : "set the monitor's channels again (PATCH the monitor) to seal them anew";
    }
}
