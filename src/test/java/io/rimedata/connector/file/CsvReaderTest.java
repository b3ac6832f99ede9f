package io.rimedata.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<List<String>> read(String text, char delimiter, char quote) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(text), delimiter, quote);
        List<List<String>> records = new ArrayList<>();
        for (List<String> r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void readsQuotedFieldsWithDelimitersQuotesAndNewlines() throws IOException {
        assertEquals(List.of(List.of("id", "note"), List.of("1", "a, \"b\"\nc"), List.of("2", "")),
                read("id,note\r\n1,\"a, \"\"b\"\"\nc\"\n2,\n", ',', '"'));
    }

    @Test
    void honoursOtherDelimitersAndQuotes() throws IOException {
        assertEquals(List.of(List.of("a", "b;c")), read("a;'b;c'", ';', '\''));
        assertNull(new CsvReader(new StringReader(""), ',', '"').next());
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThrows(IOException.class, () -> read("1,\"open", ',', '"'));
    }

    @Property
    void writtenRecordsReadBack(@ForAll @Size(min = 1, max = 6) List<@Size(max = 20) String> fields) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append('"').append(fields.get(i).replace("\"", "\"\"")).append('"');
        }
        assertEquals(List.of(fields), read(line + "\n", ',', '"'));
    }
}
