package io.drawbridge.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The few structural rules that matter for this service. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.drawbridge.order");

    @Test
    void domainCodeKnowsNothingOfHttpKafkaOrTheDatabase() {
        noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "io.r2dbc..",
                        "org.apache.kafka..",
                        "reactor..",
                        "io.drawbridge.platform..",
                        "..web..",
                        "..persistence..")
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
                        "io.drawbridge.audit..")
                .check(CLASSES);
    }

    @Test
    void providersDoNotReachIntoEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.drawbridge.order.antistock..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.drawbridge.order.stripe..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("io.drawbridge.order.stripe..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.drawbridge.order.antistock..")
                .check(CLASSES);
    }
}
