package dev.ferry.cli.command;

/** The fixed vocabularies of the management API (docs/api.md), so that a typo is a usage error before any request. */
final class Choices {

    private Choices() {}

    enum Status { QUEUED, HELD, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    enum Trigger { WEBHOOK, SCHEDULE, TEST, RETRY, REPLAY }

    enum Severity { DEBUG, INFO, WARN, ERROR }

    enum PauseMode { REJECT, HOLD }
}
