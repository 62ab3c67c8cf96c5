package io.drawbridge.file;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.drawbridge.file", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainKnowsNoWebKafkaOrR2dbc = noClasses()
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
                    "org.springframework.data.r2dbc..",
                    "io.r2dbc..",
                    "io.minio..",
                    "io.drawbridge.platform.web..",
                    "..web..",
                    "..persistence..");

    @ArchTest
    static final ArchRule noOtherServiceIsImported = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.drawbridge.token..",
                    "io.drawbridge.gateway..",
                    "io.drawbridge.order..",
                    "io.drawbridge.audit..");

    @ArchTest
    static final ArchRule onlyTheStoragePackageTalksToS3 = noClasses()
            .that()
            .resideOutsideOfPackages("io.drawbridge.file.storage..", "io.drawbridge.file.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.minio..");
}
