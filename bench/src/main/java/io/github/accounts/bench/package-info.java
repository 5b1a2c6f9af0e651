/**
 * JMH benchmarks of accounts' in-process costs: Argon2id at the configured parameters, token generation and
 * digest, and {@code Accounts.authenticate} on H2 and PostgreSQL with small and large session tables. Run them
 * with {@code java -jar bench/target/benchmarks.jar} (or {@code bench/run}); nothing here asserts on time.
 */
package io.github.accounts.bench;
