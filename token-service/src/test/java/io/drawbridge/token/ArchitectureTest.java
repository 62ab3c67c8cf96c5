package io.drawbridge.token;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.drawbridge.token", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainKnowsNothingOfWebKafkaOrR2dbc = noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework.web..",
                    "org.springframework.http..",
                    "io.drawbridge.platform.web..",
                    "org.springframework.kafka..",
                    "org.apache.kafka..",
                    "io.drawbridge.platform.kafka..",
                    "io.drawbridge.events..",
                    "io.r2dbc..",
                    "org.springframework.r2dbc..",
                    "org.springframework.data.r2dbc..");

    @ArchTest
    static final ArchRule noOtherServiceIsImported = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.drawbridge.gateway..",
                    "io.drawbridge.file..",
                    "io.drawbridge.order..",
                    "io.drawbridge.audit..");

    @ArchTest
    static final ArchRule webDoesNotReachIntoPersistence = noClasses()
            .that()
            .resideInAPackage("..web..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..persistence..");
}
