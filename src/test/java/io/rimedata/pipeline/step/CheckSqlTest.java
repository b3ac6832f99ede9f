package io.rimedata.pipeline.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CheckSqlTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "select 1 from orders",
            "select 1 from orders where amount < 0;",
            "select 1 from orders;;  ;\n",
            "  -- leading comment\nselect 1",
            "/* a (comment) */ select 1",
            "with x as (select 1) select * from x",
            "values (1), (2)",
            "table orders",
            "(select 1)",
            "select ')' as close, '(' || ';' from t",
            "select \")\" from t",
            "select $$);$$, $tag$ ) ; $tag$",
            "select E'it\\'s )' from t",
            "select E'\\') union select 2 --'",
            "select 'it''s )' from t",
            "select 1 from t -- ) ; trailing comment",
            "select 1 /* nested /* ) */ still comment ; */ from t",
            "select a$b from t where x = $1",
    })
    void acceptsOneQuery(String sql) {
        assertNull(CheckSql.problem(sql), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1) union select secret from vault --",
            "select 1 from t where (1 = 1)) union select 2 where (true",
            "select 1; drop table orders",
            "select 1; select 2;",
            "select 1 ;\n-- then a second statement\n",
            "select (1",
            "select 'unterminated",
            "select \"unterminated",
            "select $a$ never closed",
            "select 1 /* open comment",
            "select 1 /* nested /* */ still open",
            "delete from orders returning 1",
            "copy orders to program 'id'",
            "do $$ begin end $$",
            "commit",
            " ",
    })
    void refusesWhatIsNotOneQuery(String sql) {
        assertNotNull(CheckSql.problem(sql), sql);
    }

    @Test
    void stripsTrailingSemicolonsOnly() {
        assertEquals("select ';' from t", CheckSql.body("select ';' from t ; ;\n"));
    }

    @Test
    void isLinearOnLongInputs() {
        String semicolons = "select 1" + " ;".repeat(4_990);
        String parens = "select " + "(".repeat(4_990) + "1" + ")".repeat(4_990);
        String quotes = "select '" + "''".repeat(4_990) + "'";
        assertTimeoutPreemptively(Duration.ofMillis(200), () -> {
            for (int i = 0; i < 20; i++) {
                assertEquals("select 1", CheckSql.body(semicolons));
                assertNull(CheckSql.problem(parens));
                assertNull(CheckSql.problem(quotes));
            }
        });
        assertNotNull(CheckSql.problem("select 1" + ";".repeat(20_000)), "longer than the limit");
    }
}
