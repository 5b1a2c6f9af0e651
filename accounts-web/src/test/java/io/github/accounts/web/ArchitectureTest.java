package io.github.accounts.web;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The lines accounts-web keeps: only accounts-core's API, never its internals, and nothing of a host. */
class ArchitectureTest {
    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.accounts.web");

    @Test
    void theWebLayerUsesNoInternalPackageOfCore() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.accounts.core.internal..")
                .check(WEB);
    }

    @Test
    void theWebLayerKnowsNoHost() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.accounts.demo..").check(WEB);
    }
}
