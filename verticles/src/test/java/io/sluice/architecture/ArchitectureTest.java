package io.sluice.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Packages depend one way (read from the compiled classes, so javadoc links do not count): no cycle between the
 * feature packages under {@code io.sluice}; the message model ({@code io.sluice.record}) depends on nothing else of
 * ours (Kafka's {@code TopicPartition} is allowed);
 * the pipeline assembler is above batching, consumer and dispatch, never below them.
 */
@Timeout(120)
class ArchitectureTest {
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
    void theMessageModelDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.record..")
                .should()
                .dependOnClassesThat(resideInAPackage("io.sluice..").and(not(resideInAPackage("io.sluice.record.."))))
                .check(classes);
    }

    @Test
    void batchingConsumerAndDispatchDoNotKnowTheAssembler() {
        noClasses()
                .that()
                .resideInAnyPackage("io.sluice.batch..", "io.sluice.consumer..", "io.sluice.dispatch..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.sluice.pipeline..")
                .check(classes);
    }
}
