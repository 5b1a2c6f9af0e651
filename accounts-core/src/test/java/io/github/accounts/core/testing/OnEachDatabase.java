package io.github.accounts.core.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every test of the annotated class once per {@link TestDatabase} (H2, then PostgreSQL), as a JUnit
 * {@code @ParameterizedClass}. The class takes the database in a {@code @Parameter TestDatabase database} field
 * (or inherits it from {@link StorageTest}) and sets up per database in {@code @BeforeParameterizedClassInvocation}
 * methods: with {@code @TestInstance(PER_CLASS)} one instance serves both runs, and {@code @BeforeAll} runs once,
 * before the field is set.
 *
 * <p>The runs are named by their database ({@code H2}, {@code POSTGRES}) in JUnit's tree (IDEs, the console
 * launcher); surefire's XML can only number them, {@code refreshRotates()[1]} on H2 and {@code [2]} on
 * PostgreSQL (the order of {@link TestDatabase}), so a failure's message starts with {@code on POSTGRES:}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
@ExtendWith(NameTheDatabaseOnFailure.class)
public @interface OnEachDatabase {
}
