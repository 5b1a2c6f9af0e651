package io.github.accounts.core.internal;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/**
 * The columns every table carries: {@code id}, {@code created_at}, {@code updated_at}. Times come from the
 * injected clock through {@link #touch}, never from the JVM clock, so tests control them; every mutating method
 * of an entity calls {@code touch}, which is how {@code updated_at} really moves on each update.
 */
@MappedSuperclass
public abstract class Timestamped {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Timestamped() {
    }

    protected Timestamped(Instant now) {
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Records a change at {@code now}; {@code updated_at} never moves backwards. */
    protected void touch(Instant now) {
        if (updatedAt == null || now.isAfter(updatedAt)) {
            updatedAt = now;
        }
    }
}
