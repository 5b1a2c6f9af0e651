package io.github.accounts.core;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The lines accounts-core keeps: it knows nothing of the web layer or a host, and its API never leaks internals. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.accounts.core");

    @Test
    void coreNeverImportsTheWebLayerAHostOrAWebServer() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.github.accounts.web..", "io.github.accounts.demo..", "spark..",
                        "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..")
                .check(CORE);
    }

    /**
     * The feature packages (and internal's) depend on each other one way only. The root package is left out: it is
     * the entry point that wires every feature, and it holds the few types every feature shares (the exception, error
     * codes, client info, the authenticated caller).
     */
    @Test
    void featurePackagesFormNoCycles() {
        slices().matching("io.github.accounts.core.(**)").should().beFreeOfCycles().check(CORE);
    }

    /**
     * A feature's flows are reached through its public service interface: only their own package and the root's
     * wiring name them.
     */
    @Test
    void flowsAreReachedOnlyThroughTheirServiceInterface() {
        for (JavaClass flows : CORE.stream().filter(c -> c.getSimpleName().endsWith("Flows")).toList()) {
            noClasses().that().resideOutsideOfPackages(flows.getPackageName(), "io.github.accounts.core")
                    .should().dependOnClassesThat().belongToAnyOf(flows.reflect())
                    .check(CORE);
        }
    }

    /**
     * No public method or field outside the internal packages takes or gives an internal type, so a host can use all
     * it sees. Constructors are left out: the machinery's are public for the root's wiring alone (a host gets each
     * feature as an interface and never builds its machinery).
     */
    @Test
    void noPublicSignatureOutsideInternalExposesAnInternalType() {
        classes().that().arePublic().and().resideOutsideOfPackage("..internal..").should(exposeNoInternalType())
                .check(CORE);
    }

    static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of an internal package in a public member") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Stream<JavaCodeUnit> members = type.getCodeUnits().stream()
                        .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
                        .filter(m -> !m.isConstructor());
                members.forEach(m -> Stream.concat(Stream.of(m.getRawReturnType()), m.getRawParameterTypes().stream())
                        .filter(t -> t.getPackageName().contains(".internal"))
                        .forEach(t -> events.add(SimpleConditionEvent.violated(m,
                                m.getFullName() + " exposes " + t.getName()))));
                type.getFields().stream().filter(f -> f.getModifiers().contains(JavaModifier.PUBLIC))
                        .filter(f -> f.getRawType().getPackageName().contains(".internal"))
                        .forEach(f -> events.add(SimpleConditionEvent.violated(f,
                                f.getFullName() + " exposes " + f.getRawType().getName())));
            }
        };
    }
}
