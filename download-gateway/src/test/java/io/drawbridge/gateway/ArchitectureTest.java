package io.drawbridge.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses gateway = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.drawbridge.gateway");

    @Test
    void domainCodeKnowsNothingOfHttpKafkaOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "org.apache.kafka..",
                        "io.minio..",
                        "reactor..",
                        "io.drawbridge.gateway..web..",
                        "io.drawbridge.platform..")
                .check(gateway);
    }

    @Test
    void theGatewayImportsNoOtherServicesCode() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.drawbridge.token..",
                        "io.drawbridge.file..",
                        "io.drawbridge.order..",
                        "io.drawbridge.audit..")
                .check(gateway);
    }
}
