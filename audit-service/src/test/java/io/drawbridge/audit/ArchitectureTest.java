package io.drawbridge.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.drawbridge.audit");

    @Test
    void domainKnowsNothingOfHttpKafkaOrTheDatabase() {
        noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "org.springframework.kafka..",
                        "org.apache.kafka..",
                        "org.springframework.r2dbc..",
                        "io.r2dbc..")
                .check(CLASSES);
    }

    @Test
    void noOtherServiceIsImported() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.drawbridge.token..",
                        "io.drawbridge.gateway..",
                        "io.drawbridge.file..",
                        "io.drawbridge.order..")
                .check(CLASSES);
    }

    @Test
    void onlyTheListenerTouchesKafka() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..messaging..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.kafka..", "org.apache.kafka..")
                .check(CLASSES);
    }
}
