package io.rimedata.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {

    private static TypeInference.Column column(String... values) {
        TypeInference.Column column = new TypeInference.Column();
        for (String v : values) {
            column.accept(v);
        }
        return column;
    }

    @Test
    void infersEachDocumentedType() {
        assertEquals("integer", column("1", "-42", "+7", "1000000").type());
        assertEquals("decimal", column("1.5", "2", "-0.25", "3e10").type());
        assertEquals("boolean", column("true", "No", "YES", "false").type());
        assertEquals("boolean", column("1", "0", "1").type());
        assertEquals("integer", column("1", "0", "2").type());
        assertEquals("date", column("2026-11-28", "2024-02-29").type());
        assertEquals("timestamp", column("2026-11-28T15:49:22.123Z", "2026-11-28 15:49", "2026-01-01").type());
        assertEquals("date", column("28/11/2026", "01/02/2026").type());
        assertEquals("timestamp", column("28/11/2026 13:45", "1/2/2026 9:05:07").type());
        assertEquals("varchar", column("hello", "42").type());
        assertEquals("varchar", column().type());
    }

    @Test
    void tellsDayMonthFromMonthDay() {
        assertEquals("DD/MM/YYYY", column("28/11/2026", "03/04/2026").dateOrder());
        assertEquals("MM/DD/YYYY", column("11/28/2026", "03/04/2026").dateOrder());
        assertEquals("DD/MM/YYYY", column("03/04/2026").dateOrder(), "ambiguous dates read day first");
        assertEquals("varchar", column("28/11/2026", "11/28/2026").type(), "contradictory orders are text");
        assertNull(column("2026-11-28").dateOrder());
    }

    @Property
    void everyLongIsAnInteger(@ForAll @LongRange(min = -999_999_999_999L, max = 999_999_999_999L) long n) {
        assertEquals(n == 0 || n == 1 ? "boolean" : "integer", column(Long.toString(n)).type());
    }

    @Property
    void decimalsAreDecimals(@ForAll @BigRange(min = "-1000000", max = "1000000") java.math.BigDecimal d) {
        String text = d.setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
        assertEquals("decimal", column(text, "0.5").type());
    }

    @Property
    void isoDatesAreDates(@ForAll @IntRange(min = 1900, max = 2100) int year, @ForAll @IntRange(min = 1, max = 12) int month,
            @ForAll @IntRange(min = 1, max = 28) int day) {
        assertEquals("date", column(String.format("%04d-%02d-%02d", year, month, day)).type());
    }

    @Property
    void oneNonMatchingValueMakesText(@ForAll @IntRange(min = 0, max = 1000) int n) {
        assertEquals("varchar", column(List.of(Integer.toString(n), "n/a").toArray(String[]::new)).type());
    }
}
