package dev.ferry.core.fakes;

import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.DeadLetters;
import dev.ferry.core.port.DeadLettersContract;
import java.time.Instant;
import java.util.List;

class InMemoryDeadLettersContractTest extends DeadLettersContract {
    private final InMemoryDeadLetters fake = new InMemoryDeadLetters(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
            (q, body) -> {});

    @Override
    protected DeadLetters deadLetters() {
        return fake;
    }

    @Override
    protected String deadLetter(DeadLetterQueue queue, String body) {
        return fake.put(queue, body, 5);
    }

    @Override
    protected List<String> sourceBodies(DeadLetterQueue queue) {
        return fake.redriven(queue);
    }
}
