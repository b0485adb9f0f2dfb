package dev.ferry.core.model;

import java.util.List;

/** One plain-text email: from the deployment's sender to {@code to}. */
public record Email(String from, List<String> to, String subject, String text) {
    public Email {
        to = to == null ? List.of() : List.copyOf(to);
    }
}
