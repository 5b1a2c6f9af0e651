package io.github.accounts.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @Test
    void theOriginalDesignsPostgresqlUrlBecomesJdbcWithCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s3cret@db.example.com:6543/accounts");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/accounts");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s3cret");
        assertThat(url.kind()).isEqualTo("PostgreSQL");
        assertThat(url.description()).isEqualTo("PostgreSQL at db.example.com:6543/accounts");
    }

    @Test
    void postgresSchemeDefaultPortQueryAndPercentEncodedPasswordAreUnderstood() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:p%40ss%3Aw%2Fd+x@localhost/accounts?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/accounts?sslmode=require");
        assertThat(url.password()).isEqualTo("p@ss:w/d+x");
        assertThat(url.description()).isEqualTo("PostgreSQL at localhost:5432/accounts");
    }

    @Test
    void jdbcUrlsPassThroughUnchanged() {
        String pg = "jdbc:postgresql://db:5432/accounts?user=app&password=s3cret";
        assertThat(DatabaseUrl.parse(pg).jdbcUrl()).isEqualTo(pg);
        assertThat(DatabaseUrl.parse(pg).user()).isEmpty();
        assertThat(DatabaseUrl.parse("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1").kind()).isEqualTo("H2");
    }

    @Test
    void descriptionsNeverHoldThePassword() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db:5432/accounts?user=app&password=s3cret").toString())
                .isEqualTo("PostgreSQL at db:5432/accounts");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://app:s3cret@db/accounts").toString())
                .doesNotContain("s3cret");
        assertThat(DatabaseUrl.parse("jdbc:h2:file:./data/accounts;USER=sa;PASSWORD=s3cret").toString())
                .isEqualTo("H2 file ./data/accounts");
        assertThat(DatabaseUrl.parse("jdbc:h2:mem:demo").toString()).isEqualTo("H2 in memory (demo)");
    }

    @Test
    void badUrlsAreRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://app:s3cret@db/accounts"))
                .hasMessageStartingWith("DATABASE_URL must look like postgresql://").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:mysql://db/accounts?password=s3cret"))
                .hasMessageContaining("'mysql'").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:s3cret@db.example.com:5432"))
                .hasMessageContaining("names no database");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:s3c ret@db/accounts"))
                .hasMessageContaining("not a valid URL").hasMessageNotContaining("s3c");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///accounts")).hasMessageContaining("names no host");
    }
}
