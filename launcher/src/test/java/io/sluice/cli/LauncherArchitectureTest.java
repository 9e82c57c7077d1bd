package io.sluice.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole application's packages depend one way (the verticles module's ArchitectureTest sees only its own
 * classes; this one sees the launcher's too): no cycle between the feature packages, and the operator commands'
 * packages depend on the command framework ({@code io.sluice.ops}), never the framework on them.
 */
@Timeout(120)
class LauncherArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.sluice.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCommandFrameworkDoesNotKnowTheCommands() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.ops")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.sluice.ops.*..")
                .check(classes);
    }

    @Test
    void commandPackagesAreFreeOfCycles() {
        slices().matching("io.sluice.ops.(*)..").should().beFreeOfCycles().check(classes);
    }
}
