package io.github.accounts.core;

import io.github.accounts.core.internal.WithoutProxies;
import io.github.accounts.core.mfa.MfaChallenge;
import io.github.accounts.core.mfa.RecoveryCode;
import io.github.accounts.core.mfa.TotpCredential;
import io.github.accounts.core.session.LoginSession;
import io.github.accounts.core.throttle.ThrottleEntry;
import io.github.accounts.core.token.OneTimeToken;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.PersistenceUnitTransactionType;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The Hibernate factory over accounts' entities, for {@link Accounts#entityManagerFactory} and the builder. */
final class Persistence {
    static final List<Class<?>> ENTITY_CLASSES = List.of(User.class, LoginSession.class, OneTimeToken.class,
            ThrottleEntry.class, TotpCredential.class, RecoveryCode.class, MfaChallenge.class);

    private Persistence() {
    }

    /** A factory over accounts' entities and {@code dataSource}, with {@code properties} passed on. */
    static EntityManagerFactory factory(DataSource dataSource, Map<String, ?> properties) {
        Objects.requireNonNull(dataSource, "null dataSource");
        PersistenceConfiguration unit = new PersistenceConfiguration("accounts")
                .transactionType(PersistenceUnitTransactionType.RESOURCE_LOCAL)
                .property("jakarta.persistence.nonJtaDataSource", dataSource)
                .property("hibernate.jdbc.batch_size", 50)
                .property(WithoutProxies.SETTING, true)
                .properties(Map.copyOf(properties));
        ENTITY_CLASSES.forEach(unit::managedClass);
        return unit.createEntityManagerFactory();
    }

    /**
     * The factory {@link Accounts#builder(DataSource)} builds: nothing printed (no SQL, no statistics), no schema
     * action (migrations create the tables; {@link AccountsSchema#validate} checks them).
     */
    static EntityManagerFactory quietFactory(DataSource dataSource) {
        Map<String, Object> quiet = new HashMap<>();
        quiet.put("hibernate.show_sql", false);
        quiet.put("hibernate.format_sql", false);
        quiet.put("hibernate.highlight_sql", false);
        quiet.put("hibernate.generate_statistics", false);
        quiet.put("jakarta.persistence.schema-generation.database.action", "none");
        // Resource-local transactions only; said explicitly, Hibernate does not log that it found no JTA platform.
        quiet.put("hibernate.transaction.jta.platform",
                "org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform");
        return factory(dataSource, quiet);
    }
}
