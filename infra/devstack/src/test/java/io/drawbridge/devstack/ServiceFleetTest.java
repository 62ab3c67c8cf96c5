package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceFleetTest {

    private final List<StackService> services = List.of(
            new StackService("file-service", 8082, Path.of("file-service.jar")),
            new StackService("token-service", 8081, Path.of("token-service.jar")));
    private final ServiceFleet fleet =
            new ServiceFleet(Path.of("."), Path.of("."), null, ServiceFleet.JVM_OPTIONS, services);

    @Test
    void fileServiceKeepsTheFullJitForItsHashingAndTheOthersStartQuickly() {
        assertThat(fleet.jvmOptionsFor(services.get(0)))
                .doesNotContain("-XX:TieredStopAtLevel=1")
                .contains("-Xmx384m", "-XX:+UseSerialGC");
        assertThat(fleet.jvmOptionsFor(services.get(1))).isEqualTo(ServiceFleet.JVM_OPTIONS);
        assertThat(ServiceFleet.JVM_OPTIONS).contains("-XX:TieredStopAtLevel=1");
    }
}
