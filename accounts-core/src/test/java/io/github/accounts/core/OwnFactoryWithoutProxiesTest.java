package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.PersistenceUnitTransactionType;
import org.hibernate.Hibernate;
import org.hibernate.bytecode.spi.BytecodeProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.proxy.HibernateProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts' own factory runs without ByteBuddy; a host's factory in the same JVM keeps it, and its lazy proxies. */
class OwnFactoryWithoutProxiesTest {

    @Test
    void accountsOwnFactoryUsesTheNoneBytecodeProviderAndStillWorks() {
        try (HikariDataSource ds = TestDatabase.H2.freshMigratedDataSource();
             Accounts accounts = Accounts.builder(ds).throttleSecret(TestAccounts.THROTTLE_SECRET).build()) {
            assertThat(bytecodeProvider(accounts.entityManagerFactory()))
                    .isInstanceOf(org.hibernate.bytecode.internal.none.BytecodeProviderImpl.class);
            SignedIn alice = accounts.signIns().signUp(new NewUser("no.proxies@example.com", "Alice", "Liddell",
                    "a long and unusual passphrase"), ClientInfo.unknown());
            assertThat(accounts.sessions().authenticate(alice.session().sessionToken()).userId()).isEqualTo(alice.user().id());
            assertThat(accounts.sessions().refresh(alice.session().updateToken()).sessionToken()).isNotBlank();
        }
    }

    @Test
    void aHostFactoryInTheSameJvmKeepsByteBuddyAndItsLazyProxies() {
        try (HikariDataSource accountsDs = TestDatabase.H2.freshMigratedDataSource();
             Accounts accounts = Accounts.builder(accountsDs).throttleSecret(TestAccounts.THROTTLE_SECRET).build();
             HikariDataSource hostDs = TestDatabase.H2.freshDataSource();
             EntityManagerFactory host = hostFactory(hostDs)) {
            assertThat(bytecodeProvider(accounts.entityManagerFactory()))
                    .isInstanceOf(org.hibernate.bytecode.internal.none.BytecodeProviderImpl.class);
            assertThat(bytecodeProvider(host))
                    .isInstanceOf(org.hibernate.bytecode.internal.bytebuddy.BytecodeProviderImpl.class);
            long bookId = host.callInTransaction(em -> {
                Shelf shelf = new Shelf();
                em.persist(shelf);
                Book book = new Book(shelf);
                em.persist(book);
                return book.id;
            });
            try (EntityManager em = host.createEntityManager()) {
                Shelf shelf = em.find(Book.class, bookId).shelf;
                assertThat(shelf).isInstanceOf(HibernateProxy.class);
                assertThat(Hibernate.isInitialized(shelf)).isFalse();
                Hibernate.initialize(shelf);
                assertThat(Hibernate.isInitialized(shelf)).isTrue();
            }
        }
    }

    private static BytecodeProvider bytecodeProvider(EntityManagerFactory emf) {
        return emf.unwrap(SessionFactoryImplementor.class).getServiceRegistry().requireService(BytecodeProvider.class);
    }

    private static EntityManagerFactory hostFactory(HikariDataSource ds) {
        return new PersistenceConfiguration("host")
                .transactionType(PersistenceUnitTransactionType.RESOURCE_LOCAL)
                .property("jakarta.persistence.nonJtaDataSource", ds)
                .property("jakarta.persistence.schema-generation.database.action", "create")
                .managedClass(Shelf.class)
                .managedClass(Book.class)
                .createEntityManagerFactory();
    }

    /** A host's entity that a lazy association points to. */
    @Entity
    public static class Shelf {
        @Id
        @GeneratedValue
        long id;
    }

    /** A host's entity with a lazy association, which needs a proxy class. */
    @Entity
    public static class Book {
        @Id
        @GeneratedValue
        long id;

        @ManyToOne(fetch = FetchType.LAZY)
        Shelf shelf;

        protected Book() {
        }

        Book(Shelf shelf) {
            this.shelf = shelf;
        }
    }
}
