package example.plain;

import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JettyVersionTest {
    @Test
    void aPlainDependencyOnAccountsWebGetsThePatchedJetty() {
        assertEquals("9.4.58.v20250814", Jetty.VERSION);
    }
}
