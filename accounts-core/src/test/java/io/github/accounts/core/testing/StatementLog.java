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
    private final List<Prepared> statements = new CopyOnWriteArrayList<>();
    private final DataSource dataSource;

    public StatementLog(DataSource real) {
        this.dataSource = proxy(DataSource.class, real, statements);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The SQL prepared since the last call, and forgets it. */
    public List<String> take() {
        List<String> out = statements.stream().map(Prepared::sql).toList();
        statements.clear();
        return out;
    }

    /** The SQL {@code thread} prepared since the last call, and forgets everything. */
    public List<String> take(Thread thread) {
        List<String> out = statements.stream().filter(p -> p.thread() == thread).map(Prepared::sql).toList();
        statements.clear();
        return out;
    }

    /** One statement, and the thread that prepared it. */
    private record Prepared(Thread thread, String sql) {
    }

    private static <T> T proxy(Class<T> type, Object target, List<Prepared> log) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                log.add(new Prepared(Thread.currentThread(), sql));
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
