package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackLockTest {

    @TempDir
    Path stateDir;

    @Test
    void aSecondStackIsToldThePidOfTheFirstAndMayStartOnceItIsGone() throws Exception {
        Path file = stateDir.resolve("devstack.lock");
        StringBuilder holder = new StringBuilder();

        Optional<StackLock> first = StackLock.tryAcquire(file, holder);
        Optional<StackLock> second = StackLock.tryAcquire(file, holder);

        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(holder).hasToString(Long.toString(ProcessHandle.current().pid()));

        first.get().close();
        Optional<StackLock> third = StackLock.tryAcquire(file, new StringBuilder());
        assertThat(third).isPresent();
        third.get().close();
    }
}
