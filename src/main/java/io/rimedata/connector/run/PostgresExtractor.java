package io.rimedata.connector.run;

import io.rimedata.connector.rest.ConnectorApi;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.file.AsyncFile;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Copies one PostgreSQL table to a staged NDJSON file through a server-side cursor, a batch at a time, so memory
 * stays flat whatever the table's size. Incremental tables continue after the last cursor value seen.
 */
@ApplicationScoped
public class PostgresExtractor {

    static final int BATCH = 1000;

    private final Vertx vertx;

    PostgresExtractor(Vertx vertx) {
        this.vertx = vertx;
    }

    /** What a table's extraction produced. */
    public record Extracted(long rows, String cursorValue) {
    }

    /**
     * @param progress called after each batch with the rows so far; answers whether to stop (a cancel)
     */
    public Uni<Extracted> extract(PgConnection connection, ConnectorApi.TableSelection table, String lastCursor,
            Path target, BiFunction<Long, Boolean, Uni<Boolean>> progress) {
        String[] name = table.name().contains(".") ? table.name().split("\\.", 2) : new String[] { "public", table.name() };
        String columnsSql = "select column_name, data_type from information_schema.columns "
                + "where table_schema = $1 and table_name = $2 order by ordinal_position";
        return connection.preparedQuery(columnsSql).execute(Tuple.of(name[0], name[1])).chain(columns -> {
            if (columns.size() == 0) {
                return Uni.createFrom().failure(new IllegalStateException("Table " + table.name() + " does not exist."));
            }
            Set<String> excluded = Set.copyOf(table.excludedColumns() == null ? List.of() : table.excludedColumns());
            List<String> selected = new ArrayList<>();
            String cursorType = null;
            for (Row column : columns) {
                String col = column.getString("column_name");
                if (!excluded.contains(col)) {
                    selected.add(quote(col));
                }
                if (col.equals(table.cursorColumn())) {
                    cursorType = column.getString("data_type");
                }
            }
            boolean incremental = "incremental".equals(table.syncMode());
            if (incremental && cursorType == null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "Cursor column " + table.cursorColumn() + " does not exist in " + table.name() + "."));
            }
            StringBuilder sql = new StringBuilder("select ").append(String.join(", ", selected)).append(" from ")
                    .append(quote(name[0])).append('.').append(quote(name[1]));
            Tuple params = Tuple.tuple();
            if (incremental) {
                if (lastCursor != null) {
                    sql.append(" where ").append(quote(table.cursorColumn())).append(" > cast($1::text as ").append(cursorType).append(')');
                    params = Tuple.of(lastCursor);
                }
                sql.append(" order by ").append(quote(table.cursorColumn()));
            }
            String cursorColumn = incremental ? table.cursorColumn() : null;
            Tuple bound = params;
            return vertx.fileSystem().mkdirs(target.getParent().toString())
                    .chain(() -> vertx.fileSystem().open(target.toString(),
                            new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)))
                    .chain(file -> connection.begin().chain(tx -> connection.prepare(sql.toString())
                            .chain(statement -> {
                                Cursor cursor = statement.cursor(bound);
                                return pump(cursor, file, cursorColumn, new State(lastCursor), progress)
                                        .onTermination().call(cursor::close)
                                        .onTermination().call(statement::close);
                            })
                            .onTermination().call(tx::commit))
                            .onTermination().call(file::close));
        });
    }

    private static final class State {
        long rows;
        String cursor;

        State(String cursor) {
            this.cursor = cursor;
        }
    }

    /**
     * Reads the cursor batch after batch as a stream, never as a chain of nested continuations: a chain would keep
     * every batch's buffer reachable until the table ends, and memory would grow with the table.
     */
    private Uni<Extracted> pump(Cursor cursor, AsyncFile file, String cursorColumn, State state,
            BiFunction<Long, Boolean, Uni<Boolean>> progress) {
        AtomicBoolean stop = new AtomicBoolean();
        return Multi.createBy().repeating().uni(() -> cursor.read(BATCH))
                .whilst(rows -> cursor.hasMore() && !stop.get())
                .onItem().transformToUniAndConcatenate(rows -> {
                    if (rows.size() == 0 && state.rows > 0) {
                        // a table of exactly N batches ends with an empty read; its progress was already reported
                        return Uni.createFrom().item(Boolean.FALSE);
                    }
                    Buffer buffer = Buffer.buffer();
                    for (Row row : rows) {
                        buffer.appendString(row.toJson().encode()).appendString("\n");
                        if (cursorColumn != null) {
                            Object value = row.getValue(cursorColumn);
                            state.cursor = value == null ? state.cursor : value.toString();
                        }
                        state.rows++;
                    }
                    boolean last = !cursor.hasMore();
                    return file.write(buffer).chain(() -> progress.apply(state.rows, last)).invoke(stop::set);
                })
                .collect().last()
                .map(ignored -> new Extracted(state.rows, state.cursor));
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
