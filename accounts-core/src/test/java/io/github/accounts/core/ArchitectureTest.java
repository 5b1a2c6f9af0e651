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
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
     * Frozen: the violations of the day this rule came (machinery constructors that the root package calls across
     * packages) are listed in src/test/archunit-store and may only go away; a new one fails the build. A frozen
     * violation is matched by its text: after moving a type it names, record the same set again once with
     * {@code ./mvnw -pl accounts-core test -Dtest=ArchitectureTest -Darchunit.freeze.refreeze=true}.
     */
    @Test
    void noPublicSignatureOutsideInternalExposesAnInternalType() {
        FreezingArchRule.freeze(classes().that().arePublic().and().resideOutsideOfPackage("..internal..")
                        .should(exposeNoInternalType()))
                .check(CORE);
    }

    static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of an internal package in a public member") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Stream<JavaCodeUnit> members = type.getCodeUnits().stream()
                        .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC));
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
