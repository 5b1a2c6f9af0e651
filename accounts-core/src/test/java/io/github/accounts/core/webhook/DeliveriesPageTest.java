package io.github.accounts.core.webhook;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of a webhook's deliveries reads its own rows on H2 too, however many deliveries the webhook has (ordered by
 * {@code id desc} alone, H2 read and sorted all 5,000 here).
 */
class DeliveriesPageTest {
    @Test
    void aPageReadsOnlyTheRowsItAnswersWith() throws SQLException {
        try (WebhookFixture f = new WebhookFixture(TestDatabase.H2, WebhookPolicy.allowingPrivateNetworks(), false)) {
            long webhook = f.accounts.webhooks().create(f.operator(), "http://127.0.0.1:9/hooks",
                    List.of("user.updated"), null, ClientInfo.unknown()).webhook().id();
            try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    insert into webhook_deliveries (webhook_id, event_id, payload, status, attempts, created_at)
                    values (?, ?, '{}', 'delivered', 1, ?)""")) {
                for (int i = 0; i < 5_000; i++) {
                    ps.setLong(1, webhook);
                    ps.setLong(2, i);
                    ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.addBatch();
                }
                ps.executeBatch();
            }

            assertThat(DatabaseRows.rowsRead(f.dataSource, WebhookFlows.DELIVERIES_PAGE, webhook, Long.MAX_VALUE, 50))
                    .isLessThanOrEqualTo(51);
            assertThat(f.accounts.webhooks().deliveries(webhook, null, 50).deliveries()).hasSize(50);
        }
    }
}
