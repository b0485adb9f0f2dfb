package dev.ferry.core.fakes;

import dev.ferry.core.port.Schedules;
import dev.ferry.core.port.SchedulesContract;

class InMemorySchedulesContractTest extends SchedulesContract {
    private final InMemorySchedules schedules = new InMemorySchedules();

    @Override
    protected Schedules schedules() {
        return schedules;
    }
}
