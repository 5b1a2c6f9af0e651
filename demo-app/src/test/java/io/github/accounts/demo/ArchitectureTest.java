package io.github.accounts.demo;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The demo is a host like any other: it uses the libraries' API only, never the machinery a host never builds. */
class ArchitectureTest {
    private static final JavaClasses DEMO = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.accounts.demo");

    @Test
    void theDemoUsesNoInternalPackageOfTheLibraries() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.github.accounts.core.internal..")
                .check(DEMO);
    }

    @Test
    void theDemoNamesNoFeatureFlows() {
        noClasses().should().dependOnClassesThat().haveSimpleNameEndingWith("Flows").check(DEMO);
    }
}
