package io.drawbridge.token;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.drawbridge.token", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * The domain speaks the shared vocabulary of {@code events} (enums such as GrantOutcome, with their wire values,
     * defined once) but never builds or reads a message: those are the messaging package's.
     */
    @ArchTest
    static final ArchRule domainKnowsNothingOfWebKafkaOrR2dbc = noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat(resideInAnyPackage(
                            "org.springframework.web..",
                            "org.springframework.http..",
                            "io.drawbridge.platform.web..",
                            "org.springframework.kafka..",
                            "org.apache.kafka..",
                            "io.drawbridge.platform.kafka..",
                            "io.r2dbc..",
                            "org.springframework.r2dbc..",
                            "org.springframework.data.r2dbc..")
                    // events' shared words are enums; ProductBranding is the one shared value with a rule of its
                    // own (the accent's contrast), kept in one home rather than copied into this domain.
                    .or(resideInAPackage("io.drawbridge.events..")
                            .and(not(JavaClass.Predicates.ENUMS))
                            .and(not(JavaClass.Predicates.type(io.drawbridge.events.ProductBranding.class)))));

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
