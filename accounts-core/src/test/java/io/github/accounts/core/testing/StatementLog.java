package io.github.accounts.core.testing;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A data source that passes everything to a real one and notes the SQL of every statement prepared on its
 * connections, so a test can compare the database work of two calls.
 */
public final class StatementLog {
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final DataSource dataSource;

    public StatementLog(DataSource real) {
        this.dataSource = proxy(DataSource.class, real, statements);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The SQL prepared since the last call, and forgets it. */
    public List<String> take() {
        List<String> out = List.copyOf(statements);
        statements.clear();
        return out;
    }

    private static <T> T proxy(Class<T> type, Object target, List<String> log) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                log.add(sql);
            }
            try {
                Object result = method.invoke(target, args);
                return result instanceof Connection c && type == DataSource.class ? proxy(Connection.class, c, log) : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
